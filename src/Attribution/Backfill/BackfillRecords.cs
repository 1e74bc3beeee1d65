namespace Attribution.Backfill;

/// <summary>
/// A pull/merge request as the REST API reports it, already mapped to the <c>pr_outcomes</c> semantics the
/// webhook receivers use (provider <c>github|gitlab</c>, state <c>open|merged|closed</c>).
/// </summary>
public sealed record ApiPullRequest
{
    public required string Provider { get; init; }
    public required string RepoSlug { get; init; }
    public required long Number { get; init; }
    public required string State { get; init; }
    public string? Title { get; init; }
    public string? Author { get; init; }
    public string? Url { get; init; }
    public string? HeadRef { get; init; }
    public string? HeadSha { get; init; }
    public string? BaseRef { get; init; }

    /// <summary>Only when merged (GitHub fills it for open PRs too: the test-merge commit).</summary>
    public string? MergeCommitSha { get; init; }
    public string? Body { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public DateTimeOffset? MergedAt { get; init; }

    /// <summary>The provider's <c>updated_at</c>: a stored row is replaced only by an equal or newer one.</summary>
    public DateTimeOffset? SourceUpdatedAt { get; init; }
    public required string RawJson { get; init; }
}

/// <summary>A CI run (workflow run, check run, commit status, pipeline or job) mapped to <c>ci_runs</c>.</summary>
public sealed record ApiCiRun
{
    public required string Provider { get; init; }
    public required string RepoSlug { get; init; }
    public required string RunId { get; init; }
    public string? CommitSha { get; init; }
    public required string Status { get; init; }
    public string? WorkflowName { get; init; }
    public string? Branch { get; init; }
    public string? Url { get; init; }
    public DateTimeOffset? StartedTs { get; init; }
    public DateTimeOffset? CompletedTs { get; init; }
    public DateTimeOffset? SourceUpdatedAt { get; init; }
    public required string RawJson { get; init; }
}
