using Attribution.Linking.Outcomes;
using Attribution.Store;

namespace Attribution.Reports;

/// <summary>Shapes the <c>downstream</c> block of a commit document from the touches; every verdict comes from <see cref="Verdicts"/>.</summary>
public static class DownstreamDocuments
{
    /// <summary>Counts, the first reverting commit and the still-good verdict; touches are merged by sha (engine rows and revert markers).</summary>
    public static DownstreamDocument Of(DateTimeOffset? since, IReadOnlyList<TouchRow> touches, DateTimeOffset now, int days = Verdicts.StillGoodDays)
    {
        var distinct = Verdicts.DistinctTouches(touches);
        var firstRevert = distinct.Where(t => t.Classification == Verdicts.Revert).OrderBy(t => t.TouchedTs).FirstOrDefault();
        return new DownstreamDocument(
            TouchCount: distinct.Count,
            FixCount: distinct.Count(t => t.Classification == Verdicts.Fix),
            RevertCount: distinct.Count(t => t.Classification == Verdicts.Revert),
            RevertedBy: firstRevert?.TouchSha,
            LastTouchAt: distinct.Count == 0 ? null : distinct.Max(t => t.TouchedTs),
            StillGoodAfterDays: days,
            StillGood: Verdicts.AsFlag(Verdicts.StillGood(since, distinct.Where(t => Verdicts.IsBad(t.Classification)).Select(t => t.TouchedTs), now, days)));
    }
}
