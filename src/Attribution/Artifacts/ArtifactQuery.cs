namespace Attribution.Artifacts;

/// <summary>
/// Which feedback to resolve: the ids the provider gave it and its context. Missing context is filled in from the
/// stored feedback row when there is one. <see cref="At"/> is when the feedback was written (else the row's
/// created_at, else now).
/// </summary>
public sealed record ArtifactQuery
{
    public required string Repo { get; init; }
    public string? Provider { get; init; }
    public string? CommentId { get; init; }
    public string? ReviewCommentId { get; init; }
    public string? ReviewId { get; init; }
    public string? InReplyToId { get; init; }
    public long? Pr { get; init; }
    public string? Path { get; init; }
    public string? CommitSha { get; init; }
    public DateTimeOffset? At { get; init; }

    /// <summary>The workspace the feedback belongs to (null = this deployment's, <c>ATTRIBUTION_WORKSPACE</c>); metadata of another is refused.</summary>
    public string? Workspace { get; init; }
}
