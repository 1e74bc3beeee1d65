using System.Text.Json;

namespace Attribution.Reports;

/// <summary>
/// <c>GET /api/attribution/commit/{sha}</c>, <c>attribution attribute commit --json</c> and the MCP tool
/// <c>attribute_commit</c>: where a commit came from and how it held up (CONTRACT §6).
/// </summary>
public sealed record CommitAttributionDocument(
    string Repo,
    string Sha,
    string? Subject,
    DateTimeOffset? CommittedAt,
    string? Agent,
    string? Model,
    IReadOnlyList<CommitSessionItem> Sessions,
    IReadOnlyList<CommitPullRequestItem> PullRequests,
    IReadOnlyList<CommitCiRunItem> CiRuns,
    DownstreamDocument Downstream,
    string Summary,
    IReadOnlyList<CommitDecisionItem> Decisions,
    CommitAiLinesItem? AiLines = null);

/// <summary>
/// The commit's added lines and how many an AI wrote, as a source tool attested it at commit time (a git-ai note,
/// docs/sources.md); <c>Share</c> is AI lines / added lines, null when the commit adds none. Absent without a note.
/// </summary>
public sealed record CommitAiLinesItem(string Source, int AiLines, int AddedLines, double? Share);

/// <summary>A decision recorded (cstp.recordDecision, §9) on the commit or on a PR holding it.</summary>
public sealed record CommitDecisionItem(
    string Id, string Summary, double Confidence, string? Category, string? File, long? Line, long? Pr, string? Outcome, string? OutcomeReason);

/// <summary>A session linked to the commit with at least the requested confidence.</summary>
public sealed record CommitSessionItem(
    string SessionId, string? Agent, string? Model, string LinkType, double Confidence, double? CostUsd, JsonElement Evidence);

/// <summary>A PR holding the commit, or merged as it.</summary>
public sealed record CommitPullRequestItem(
    string Provider, string Repo, long Number, string? Title, string State, DateTimeOffset? MergedAt, string? Url);

/// <summary>A CI run of the commit.</summary>
public sealed record CommitCiRunItem(string Provider, string RunId, string Status, string? WorkflowName, DateTimeOffset? CompletedAt);

/// <summary>
/// Later commits touching the same files: counts, the first revert, and whether the work held up. The line figures
/// (docs/engine.md, "Line-level outcomes") are null when the engine has not read them (no clone registered):
/// <c>LinesWritten</c>, lines still present at the default branch's head and 14 and 30 days after the commit
/// (<c>LinesAfter14d</c>/<c>LinesAfter30d</c>, null until that day has passed), the same as shares of the lines written
/// (<c>Survival14d</c>, <c>Survival30d</c>, <c>SurvivalAtHead</c>), lines later work by others rewrote, and each touch
/// with the lines of this work it changed.
/// </summary>
public sealed record DownstreamDocument(
    int TouchCount, int FixCount, int RevertCount, string? RevertedBy, DateTimeOffset? LastTouchAt, int StillGoodAfterDays, bool? StillGood,
    int? LinesWritten = null,
    int? LinesAtHead = null,
    int? LinesAfter14d = null,
    int? LinesAfter30d = null,
    double? SurvivalAtHead = null,
    double? Survival14d = null,
    double? Survival30d = null,
    int? LinesRewrittenByOthers = null,
    IReadOnlyList<DownstreamTouchItem>? Touches = null);

/// <summary>A commit an abbreviation could mean (409 answers).</summary>
public sealed record CommitCandidate(string Repo, string Sha, string? Subject);
