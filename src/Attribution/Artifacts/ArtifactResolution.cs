namespace Attribution.Artifacts;

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
