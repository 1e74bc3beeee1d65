namespace Attribution.Store;

/// <summary>What the graph knows about a PR, for stage attribution.</summary>
public sealed record StagePr(
    string Repo, int Number, string Provider, string? Title, string? HeadRef, string? BaseRef, string? State,
    DateTimeOffset? CreatedAt, DateTimeOffset? MergedAt, DateTimeOffset? ClosedAt, DateTimeOffset? RevertedAt, string? Url,
    string? Author = null);

/// <summary>A session's identity, usage and cost (cost null when its model has no price).</summary>
public sealed record StageSession(
    string SessionId, string Agent, string? Model, double? CostUsd, StageTokens Tokens, string? GitBranch);

/// <summary>Token counts of a session.</summary>
public sealed record StageTokens(long Input, long Output, long CacheWrite, long CacheRead)
{
    public static readonly StageTokens None = new(0, 0, 0, 0);

    public bool IsEmpty => Input + Output + CacheWrite + CacheRead == 0;
}

/// <summary>A session↔commit link on one of the PR's commits.</summary>
public sealed record StageCommitLink(string SessionId, string Sha, string LinkType, double Confidence);

/// <summary>A session↔PR link (reason: commit, branch, opened, ...).</summary>
public sealed record StagePrLink(string SessionId, string Reason, double Confidence);

/// <summary>A signed review artifact (comment, review, note) on the PR, owned by a session.</summary>
public sealed record StageReviewArtifact(string SessionId, string Kind, string? ArtifactId);

/// <summary>A shell command a session ran in the PR's repository.</summary>
public sealed record StageShellEvent(string SessionId, DateTimeOffset Ts, string Command, bool IsError);

/// <summary>Everything the derivation reads for one PR.</summary>
public sealed record StageGraph(
    StagePr Pr,
    IReadOnlyList<StageCommitLink> CommitLinks,
    IReadOnlyList<StagePrLink> PrLinks,
    IReadOnlyList<StageReviewArtifact> ReviewArtifacts,
    IReadOnlyList<StageShellEvent> ShellEvents,
    IReadOnlyDictionary<string, StageSession> Sessions);
