using Attribution.Common;

namespace Attribution.Store;

/// <summary>Filters of a yield query as the store applies them (repo already normalised).</summary>
public sealed record YieldFilter(DateTimeOffset? Since, string? Repo, string? Agent, string? Model, double MinConfidence)
{
    /// <summary>Limits the report to one session (the session page's outcome).</summary>
    public string? SessionId { get; init; }
}

/// <summary>One session with its link aggregates, computed in SQL.</summary>
public sealed record SessionStatRow
{
    public required string SessionId { get; init; }
    public required string Agent { get; init; }
    public string? Model { get; init; }
    public string? RepoSlug { get; init; }
    public string? StartedTs { get; init; }
    public double? CostUsd { get; init; }
    public string? Title { get; init; }
    public long Commits { get; init; }
    public string? FirstCommitTs { get; init; }
    /// <summary>Above zero when a linked commit was reverted (a revert touch, or a commit naming it in <c>reverts_sha</c>).</summary>
    public long RevertedCommits { get; init; }
    public long Touches { get; init; }
    public string? FirstBadTouchTs { get; init; }
}

/// <summary>A PR linked to a session (through session_pr_links or through a linked commit).</summary>
public sealed record SessionPrRow
{
    public required string SessionId { get; init; }
    public required string Provider { get; init; }
    public required string RepoSlug { get; init; }
    public long PrNumber { get; init; }
    public string? Title { get; init; }
    public required string State { get; init; }
    public string? MergedAt { get; init; }
    public string? RevertedAt { get; init; }
    public string? Url { get; init; }
    public long DownstreamTouchCount { get; init; }
    public string? MergeCommitSha { get; init; }
    public string? HeadSha { get; init; }
}

/// <summary>A CI run of a commit that matters to a session: one of its linked commits, or its PRs' merge or head commit.</summary>
public sealed record SessionCiRunRow
{
    public required string SessionId { get; init; }
    public required string RepoSlug { get; init; }
    public required string CommitSha { get; init; }

    /// <summary>1 when the commit is linked to the session (at or above the threshold), 0 when it is only a PR's merge or head.</summary>
    public long IsLinked { get; init; }
    public required string Provider { get; init; }
    public required string RunId { get; init; }
    public string? WorkflowName { get; init; }
    public required string Status { get; init; }
    public DateTimeOffset? At { get; init; }

    /// <summary>What the CI roll-up reads of this run.</summary>
    public CiRunState ToState() => new(Provider, WorkflowName, RunId, Status, At);
}

/// <summary>Distinct values to offer in the dashboard's filters.</summary>
public sealed record YieldFilterOptions(IReadOnlyList<string> Repos, IReadOnlyList<string> Agents, IReadOnlyList<string> Models);
