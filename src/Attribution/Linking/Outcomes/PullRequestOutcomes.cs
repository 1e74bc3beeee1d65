using Attribution.Linking.Outcomes;
using Attribution.Store;

namespace Attribution.Linking.Outcomes;

/// <summary>The one read path of a PR's verdict figures (<see cref="PullRequestFigures"/>); the verdicts come from <see cref="Verdicts"/>.</summary>
public sealed class PullRequestOutcomes(AttributionQueryStore store, TimeProvider time)
{
    /// <summary>The figures of a PR by key, or null when no such PR is recorded.</summary>
    public async Task<PullRequestFigures?> GetAsync(string provider, string repo, int number, int days, CancellationToken cancellationToken)
    {
        var pr = await store.GetPrOutcomeAsync(provider, repo, number, cancellationToken);
        return pr is null ? null : await OfAsync(pr, days, cancellationToken);
    }

    /// <summary>The figures of a PR row.</summary>
    public async Task<PullRequestFigures> OfAsync(PullRequestRow pr, int days, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pr);
        // A merged PR is judged by the CI of what landed (its merge commit) when that ran; else by its head.
        var mergeRuns = pr.MergeCommitSha is null ? [] : await store.GetCiRunsForCommitsAsync(pr.RepoSlug, [pr.MergeCommitSha], cancellationToken);
        var headRuns = mergeRuns.Count > 0 || pr.HeadSha is null ? [] : await store.GetCiRunsForCommitsAsync(pr.RepoSlug, [pr.HeadSha], cancellationToken);

        var touches = Verdicts.DistinctTouches(await store.GetTouchesAsync(pr.RepoSlug, DownstreamTargets.PrKinds, DownstreamTargets.PrKeys(pr.Provider, pr.PrNumber), cancellationToken)).ToList();
        if (!touches.Any(t => t.Classification == Verdicts.Revert) && pr.RevertedAt is { } revertedAt)
        {
            // A merged revert PR names this one even when no touch row exists for it.
            touches.Add(new TouchRow { TouchSha = $"pr#{pr.RevertedByPr}", Classification = Verdicts.Revert, TouchedTs = revertedAt });
        }

        var stillGood = pr.State == "merged"
            ? Verdicts.AsFlag(Verdicts.StillGood(pr.MergedAt, touches.Where(t => Verdicts.IsBad(t.Classification)).Select(t => t.TouchedTs), time.GetUtcNow(), days))
            : null;
        return new PullRequestFigures(
            CiStatus: Verdicts.CiOutcome(Verdicts.PullRequestRuns(mergeRuns, headRuns)),
            // A revert is a touch too, so the count never shows fewer touches than reverts.
            TouchCount: (int)Math.Max(pr.DownstreamTouchCount, touches.Count),
            FixCount: touches.Count(t => t.Classification == Verdicts.Fix),
            RevertCount: touches.Count(t => t.Classification == Verdicts.Revert),
            StillGood: stillGood,
            StillGoodAfterDays: days);
    }
}
