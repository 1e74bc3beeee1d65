namespace Attribution.Reports;

/// <summary>A row of <c>GET /api/pr-outcomes</c> and the MCP tool <c>get_pr_outcomes</c>.</summary>
public sealed record PrOutcomeItem(
    string Provider, string Repo, long Number, string? Title, string State, string? Author, string? Url,
    DateTimeOffset? CreatedAt, DateTimeOffset? MergedAt, DateTimeOffset? ClosedAt, DateTimeOffset? RevertedAt,
    string? HeadRef, string? HeadSha, string? BaseRef, string? MergeCommitSha,
    IReadOnlyList<string> LinkedSessionIds, long DownstreamTouchCount, DateTimeOffset? LastDownstreamTouchAt,
    DateTimeOffset UpdatedAt);

/// <summary>A row of <c>GET /api/ci-runs</c> and the MCP tool <c>get_ci_runs</c>.</summary>
public sealed record CiRunItem(
    string Provider, string Repo, string RunId, string? CommitSha, string Status, string? WorkflowName,
    string? Branch, string? Url, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt);
