namespace Attribution.Store;

/// <summary>
/// Review feedback on a PR (<c>pr_feedback</c>), kept for the artifact index. Kind:
/// <c>issue_comment|review|review_comment|note</c>; <see cref="ExternalId"/> is the provider's id of the comment or review.
/// Written by the receivers; read back by the artifact index, which alone sees <see cref="Id"/> and <see cref="UpdatedTs"/>.
/// </summary>
public sealed record FeedbackRecord
{
    /// <summary>The row's id once stored (the sweeper's cursor is <see cref="UpdatedTs"/>, id).</summary>
    public long Id { get; init; }
    public required string Provider { get; init; }
    public required string RepoSlug { get; init; }
    public required string Kind { get; init; }
    public required string ExternalId { get; init; }
    public long? PrNumber { get; init; }
    public string? ReviewId { get; init; }
    public string? InReplyToId { get; init; }
    public string? Path { get; init; }
    public long? Line { get; init; }
    public string? CommitSha { get; init; }
    public string? Author { get; init; }
    public string? Body { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public string? DeliveryId { get; init; }

    /// <summary>When the row was last written, as stored (read only; a write sets it).</summary>
    public string UpdatedTs { get; init; } = "";
}
