namespace Attribution.Store;

/// <summary>A row of the <c>/sessions</c> list.</summary>
public sealed record BrowseSessionRow
{
    public string SessionId { get; init; } = "";
    public string? Title { get; init; }
    public string Agent { get; init; } = "";
    public string? Model { get; init; }
    public string? RepoSlug { get; init; }
    public string? GitBranch { get; init; }
    public DateTimeOffset? StartedTs { get; init; }
    public double? CostUsd { get; init; }

    /// <summary>Commits linked at or above the filter's confidence floor.</summary>
    public long Commits { get; init; }

    /// <summary>The strongest link of the session (any confidence), null when it has none.</summary>
    public double? BestConfidence { get; init; }
}

/// <summary>A row of the <c>/commits</c> list.</summary>
public sealed record BrowseCommitRow
{
    public string RepoSlug { get; init; } = "";
    public string Sha { get; init; } = "";
    public string? Subject { get; init; }
    public string? AuthorName { get; init; }
    public string? AuthorEmail { get; init; }
    public DateTimeOffset? CommitterTs { get; init; }

    /// <summary>The agent named by the commit's marker, else that of its strongest linked session.</summary>
    public string? Agent { get; init; }
    public string? Model { get; init; }

    /// <summary>Sessions linked at or above the confidence floor.</summary>
    public long Sessions { get; init; }
    public double? BestConfidence { get; init; }
    public string? LinkType { get; init; }
}
