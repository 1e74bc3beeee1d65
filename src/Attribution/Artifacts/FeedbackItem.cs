namespace Attribution.Artifacts;

/// <summary>
/// One piece of review feedback as the receivers store it in <c>pr_feedback</c>: <see cref="Kind"/> is
/// <c>issue_comment</c>, <c>review</c>, <c>review_comment</c> (GitHub) or <c>note</c> (GitLab);
/// <see cref="ExternalId"/> the provider's id of the comment, review or note.
/// </summary>
public sealed record FeedbackItem
{
    public required string Provider { get; init; }
    public required string Repo { get; init; }
    public required string Kind { get; init; }
    public required string ExternalId { get; init; }
    public long? PrNumber { get; init; }
    public string? ReviewId { get; init; }
    public string? InReplyToId { get; init; }
    public string? Path { get; init; }
    public long? Line { get; init; }
    public string? CommitSha { get; init; }
    public string? Body { get; init; }
    public string? DeliveryId { get; init; }
}
