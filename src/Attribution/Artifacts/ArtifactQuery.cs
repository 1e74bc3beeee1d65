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
}

/// <summary>
/// The answer of <c>GET /api/attribution/artifact</c>. <c>mode</c>: direct, commit_artifact, artifact_parent_comment,
/// artifact_review, artifact_comment, artifact_pr_context, inferred or unresolved; <c>confidence</c>: exact (signed
/// evidence), inferred (one linked session in the time window) or unresolved (then sessionId is null).
/// </summary>
public sealed record ArtifactResolution(string Mode, string? SessionId, string Confidence, string Diagnostic)
{
    public static ArtifactResolution Exact(string mode, string sessionId, string diagnostic) => new(mode, sessionId, "exact", diagnostic);

    public static ArtifactResolution Inferred(string sessionId, string diagnostic) => new("inferred", sessionId, "inferred", diagnostic);

    public static ArtifactResolution Unresolved(string diagnostic) => new("unresolved", null, "unresolved", diagnostic);
}
