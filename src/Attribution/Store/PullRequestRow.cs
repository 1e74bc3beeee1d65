namespace Attribution.Store;

/// <summary>
/// A pull/merge request (<c>pr_outcomes</c>): what a source saw (webhook or REST backfill), which <see cref="PrStore"/>
/// writes, and the stored PR every read gives back (its store, the query surfaces, the pages); a read fills the columns
/// it selects. <see cref="SourceUpdatedAt"/> is the provider's own <c>updated_at</c>: the store keeps the newest version
/// it has seen. The columns after <see cref="SourceUpdatedAt"/> belong to other features and are read only.
/// </summary>
public sealed record PullRequestRow
{
    /// <summary><c>github</c> or <c>gitlab</c>.</summary>
    public required string Provider { get; init; }
    public required string RepoSlug { get; init; }
    public required long PrNumber { get; init; }

    /// <summary><c>open</c>, <c>merged</c> or <c>closed</c>.</summary>
    public required string State { get; init; }
    public string? Title { get; init; }
    public string? Author { get; init; }
    public string? Url { get; init; }
    public string? Body { get; init; }
    public string? HeadRef { get; init; }
    public string? HeadSha { get; init; }
    public string? BaseRef { get; init; }

    /// <summary>Only when merged.</summary>
    public string? MergeCommitSha { get; init; }
    public DateTimeOffset? MergedAt { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public DateTimeOffset? SourceUpdatedAt { get; init; }

    /// <summary>The provider's object as it came, written with the PR (no read selects it).</summary>
    public JsonText? RawJson { get; init; }

    public DateTimeOffset? RevertedAt { get; init; }
    public long? RevertedByPr { get; init; }

    /// <summary>Later commits touching the PR's work, counted by the attribution pass, and the last one's time.</summary>
    public long DownstreamTouchCount { get; init; }
    public DateTimeOffset? LastDownstreamTouchTs { get; init; }

    /// <summary>The sessions the attribution pass linked to it at or above the threshold, a JSON array.</summary>
    public string LinkedSessionIds { get; init; } = "[]";
    public DateTimeOffset UpdatedTs { get; init; }
}
