using Attribution.Providers;
using Attribution.Store;

namespace Attribution.Backfill;

/// <summary>
/// Walks a provider's PRs newest-update first down to <c>since</c>, storing each PR with its commits and CI through
/// the stores the webhook receivers write with (one writer per table, the same newest-truth rule), and keeps a
/// cursor after every PR so an interrupted run resumes where it stopped.
/// </summary>
public sealed class BackfillRunner(PrStore prs, CiRunStore ciRuns, CommitStore commitStore, CursorStore cursors, ILogger<BackfillRunner> logger)
{
    public async Task RunAsync(IPullRequestSource source, DateTimeOffset? since, BackfillStats stats, IBackfillProgress progress, CancellationToken cancellationToken)
    {
        var scope = BackfillCursor.Scope(source.Provider, source.Repository);
        var resume = BackfillCursor.TryParse(await cursors.GetAsync(BackfillCursor.Source, scope, cancellationToken));
        if (resume is not null)
        {
            BackfillLog.Resuming(logger, source.Provider, source.Repository, resume.Page, resume.Reached);
        }

        var reverts = new List<(RevertTarget Target, DateTimeOffset At, long By)>();
        int? page = resume?.Page ?? 1;
        while (page is { } current)
        {
            var result = await source.GetPageAsync(current, since, cancellationToken);
            var reachedSince = false;
            foreach (var pr in result.Items)
            {
                if (since is { } limit && pr.SourceUpdatedAt is { } updated && updated < limit)
                {
                    reachedSince = true;
                    break;
                }

                if (resume is not null && resume.AlreadyDone(pr.SourceUpdatedAt, pr.PrNumber))
                {
                    stats.PullRequestsSkipped++;
                    continue;
                }

                await StoreAsync(source, pr, stats, cancellationToken);
                if (pr is { State: "merged", MergedAt: { } mergedAt })
                {
                    reverts.AddRange(source.Reverts(pr).Select(target => (target, mergedAt, pr.PrNumber)));
                }

                var cursor = new BackfillCursor(current, pr.SourceUpdatedAt ?? DateTimeOffset.MinValue, pr.PrNumber);
                await cursors.SetAsync(BackfillCursor.Source, scope, cursor.Serialize(), cancellationToken);
                progress.Report(current, pr.PrNumber, stats);
            }

            page = reachedSince ? null : result.NextPage;
        }

        // Newest first means a revert is usually seen before the PR it reverts: mark once all are stored.
        foreach (var (target, at, by) in reverts)
        {
            if (await prs.MarkRevertedAsync(source.Provider, target.RepoSlug, target.Number, at, by, cancellationToken))
            {
                stats.Reverts++;
            }
        }

        await cursors.DeleteAsync(BackfillCursor.Source, scope, cancellationToken);
    }

    private async Task StoreAsync(IPullRequestSource source, PullRequestRow pr, BackfillStats stats, CancellationToken cancellationToken)
    {
        var commits = await source.GetCommitsAsync(pr, cancellationToken);
        var runs = await source.GetCiRunsAsync(pr, cancellationToken);

        switch (await prs.UpsertAsync(pr, cancellationToken))
        {
            case UpsertOutcome.Inserted:
                stats.PullRequestsNew++;
                break;
            case UpsertOutcome.Updated:
                stats.PullRequestsUpdated++;
                break;
            default:
                stats.PullRequestsUnchanged++;
                break;
        }

        await commitStore.UpsertAsync(commits, cancellationToken);
        stats.Commits += commits.Count;
        stats.PullRequestCommitsNew += await prs.AddCommitsAsync(pr.Provider, pr.RepoSlug, pr.PrNumber, [.. commits.Select(c => c.Sha)], "api", cancellationToken);

        foreach (var run in runs)
        {
            switch (await ciRuns.UpsertAsync(run, cancellationToken))
            {
                case UpsertOutcome.Inserted:
                    stats.CiRunsNew++;
                    break;
                case UpsertOutcome.Updated:
                    stats.CiRunsUpdated++;
                    break;
                default:
                    stats.CiRunsUnchanged++;
                    break;
            }
        }
    }
}
