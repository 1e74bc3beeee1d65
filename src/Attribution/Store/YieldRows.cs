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
    public DateTimeOffset? StartedTs { get; init; }
    public double? CostUsd { get; init; }
    public string? Title { get; init; }
    public long Commits { get; init; }
    public DateTimeOffset? FirstCommitTs { get; init; }
    /// <summary>When the first commit reverting one of its linked commits was made.</summary>
    public DateTimeOffset? FirstRevertTs { get; init; }
    /// <summary>Above zero when a linked commit was reverted (a revert touch, or a commit naming it in <c>reverts_sha</c>).</summary>
    public long RevertedCommits { get; init; }
    /// <summary>Distinct commits that touched the session's linked commits or its PRs later.</summary>
    public long Touches { get; init; }
}

/// <summary>A fix or revert touch time of a session's work.</summary>
public sealed class SessionBadTouchRow
{
    public string SessionId { get; set; } = "";
    public DateTimeOffset TouchedTs { get; set; }
    public string Classification { get; set; } = "";
}

/// <summary>One author of a session's linked commits and how many of them they wrote.</summary>
public sealed class SessionAuthorRow
{
    public string SessionId { get; set; } = "";
    public string? AuthorName { get; set; }
    public string? AuthorEmail { get; set; }
    public long Commits { get; set; }
}

/// <summary>The line outcome of one of a session's linked commits.</summary>
public sealed class SessionLinesRow : LineOutcomeRow
{
    public string SessionId { get; set; } = "";
}

/// <summary>A CI run that judges a session's work: of a linked commit (<c>Via</c> = <c>commit</c>) or of a PR (<c>pr</c>).</summary>
public sealed class SessionCiRunRow : CiRunRow
{
    public string SessionId { get; set; } = "";
    public string Via { get; set; } = "";
}
