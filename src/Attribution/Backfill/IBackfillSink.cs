using Attribution.Store;

namespace Attribution.Backfill;

/// <summary>
/// Where REST backfill writes. Kept to the few operations the webhook receivers also perform so that one
/// implementation can serve both (today <see cref="BackfillStore"/>; later the receivers' PR/CI stores).
/// </summary>
public interface IBackfillSink
{
    /// <summary>Inserts, or replaces when the record's <c>updated_at</c> is equal or newer than the stored one.</summary>
    Task<UpsertOutcome> UpsertPullRequestAsync(PullRequestRecord pullRequest, CancellationToken cancellationToken);

    /// <summary>Adds PR membership rows (source <c>api</c>); returns how many were new.</summary>
    Task<int> AddPullRequestCommitsAsync(string provider, string repoSlug, long number, IReadOnlyList<string> shas, CancellationToken cancellationToken);

    /// <summary>Inserts, or replaces when equal or newer, by (provider, run_id).</summary>
    Task<UpsertOutcome> UpsertCiRunAsync(CiRunRecord run, CancellationToken cancellationToken);

    /// <summary>Records commits (source <c>api</c>: fills gaps, never downgrades git rows).</summary>
    Task UpsertCommitsAsync(IReadOnlyList<CommitRecord> commits, CancellationToken cancellationToken);

    /// <summary>A merged PR says "Reverts owner/repo#N": sets <c>reverted_at</c> of PR N when not already set.</summary>
    Task<bool> MarkRevertedAsync(string provider, string repoSlug, long number, DateTimeOffset revertedAt, long revertedByPr, CancellationToken cancellationToken);
}
