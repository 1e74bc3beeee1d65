namespace Attribution.Store;

/// <summary>
/// A CI run (workflow run, job, check, commit status, pipeline) as a source saw it. <see cref="RunId"/> is
/// unique per provider (see <c>Providers.CiRunIds</c> for the prefixes used for GitHub and GitLab kinds).
/// </summary>
public sealed record CiRunRecord
{
    public required string Provider { get; init; }
    public required string RepoSlug { get; init; }
    public required string RunId { get; init; }
    public string? CommitSha { get; init; }

    /// <summary><c>success|failure|cancelled|in_progress|pending|skipped</c>.</summary>
    public required string Status { get; init; }
    public string? WorkflowName { get; init; }
    public string? Branch { get; init; }
    public string? Url { get; init; }
    public DateTimeOffset? StartedTs { get; init; }
    public DateTimeOffset? CompletedTs { get; init; }
    public DateTimeOffset? SourceUpdatedAt { get; init; }

    /// <summary>Re-runs of one run id count up; a higher attempt always wins.</summary>
    public int RunAttempt { get; init; } = 1;
    public string? RawJson { get; init; }
}
