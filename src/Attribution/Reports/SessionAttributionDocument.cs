namespace Attribution.Reports;

/// <summary>
/// <c>GET /api/attribution/session/{id}</c>, <c>attribution attribute session --json</c> and the MCP tool
/// <c>attribute_session</c>: what a session produced and how it held up (CONTRACT §6).
/// </summary>
/// <remarks>
/// <see cref="Feedback"/> lists review feedback (comments, reviews, notes) that resolved to the session
/// through the artifact index (§7): replies to its signed comments, reviews of its signed commits.
/// <see cref="Downstream"/> sums the line figures of its commits (null when none has them).
/// <see cref="Title"/> is the agent's summary of the session or its first prompt, when known.
/// <see cref="ParentSessionId"/> is the session a sub-agent was spawned or forked from (null for a top-level session).
/// </remarks>
public sealed record SessionAttributionDocument(
    string SessionId,
    string Agent,
    string? Model,
    string? Repo,
    string? Branch,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    double? CostUsd,
    SessionTokens Tokens,
    IReadOnlyList<SessionCommitItem> Commits,
    IReadOnlyList<SessionPullRequestItem> PullRequests,
    IReadOnlyList<SessionFeedbackItem> Feedback,
    string Summary,
    SessionOutcomeItem? Outcome = null,
    SessionDownstreamDocument? Downstream = null,
    string? Title = null,
    string? ParentSessionId = null);

/// <summary>
/// The session's own verdict figures, the same as its <c>/api/yield</c> row and its page: outcome class, CI
/// outcome (one roll-up over its linked commits' and PRs' runs), distinct downstream touches of its work, still good
/// (null: too young to judge). Only commits linked at or above the threshold count.
/// </summary>
public sealed record SessionOutcomeItem(string Outcome, string? CiStatus, int DownstreamTouchCount, bool? StillGood, int StillGoodAfterDays);

/// <summary>Token counts of the session (each API message counted once).</summary>
public sealed record SessionTokens(long Input, long Output, long CacheWrite, long CacheRead);

/// <summary>A commit linked to the session with at least the requested confidence.</summary>
public sealed record SessionCommitItem(string Sha, string? Subject, string LinkType, double Confidence);

/// <summary>A PR linked to the session, with its CI status and downstream outcome.</summary>
public sealed record SessionPullRequestItem(
    string Provider, string Repo, long Number, string? Title, string State, DateTimeOffset? MergedAt,
    string? CiStatus, int DownstreamTouchCount, int RevertCount, bool? StillGood);

/// <summary>Review feedback resolved to the session; <c>Mode</c> is the §7 resolution step that tied it.</summary>
public sealed record SessionFeedbackItem(
    string Provider, string Repo, string Kind, string Id, long? PrNumber, string? Path, long? Line,
    string? Author, string? Body, DateTimeOffset? CreatedAt, string Mode);
