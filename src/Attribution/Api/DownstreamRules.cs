using Attribution.Store;

namespace Attribution.Api;

/// <summary>
/// "Still good after N days" and the downstream counts of a commit or PR (CONTRACT §6), pure over the
/// touches the engine recorded. Rules:
/// <list type="bullet">
/// <item><c>false</c> as soon as a <c>revert</c> or <c>fix</c> touch falls within N days of the reference time
/// (commit time, or merge time of a PR), whatever the age: that work is known not to have held.</item>
/// <item><c>true</c> when the reference time is at least N days before now and no such touch exists.</item>
/// <item><c>null</c> when it cannot be told yet: younger than N days without a bad touch, or no reference
/// time (unknown commit time, PR not merged).</item>
/// </list>
/// </summary>
public static class DownstreamRules
{
    public const int DefaultDays = 14;

    public static bool? StillGood(DateTimeOffset? since, IEnumerable<TouchRow> touches, DateTimeOffset now, int days = DefaultDays)
    {
        if (since is null)
        {
            return null;
        }

        var horizon = since.Value.AddDays(days);
        if (touches.Any(t => IsBad(t) && t.TouchedTs < horizon))
        {
            return false;
        }

        return now >= horizon ? true : null;
    }

    public static bool IsBad(TouchRow touch) => touch.Classification is "revert" or "fix";

    /// <summary>Counts and the first reverting commit; touches are merged by sha (engine rows and revert markers).</summary>
    public static DownstreamDocument Summarise(DateTimeOffset? since, IReadOnlyList<TouchRow> touches, DateTimeOffset now, int days = DefaultDays)
    {
        var distinct = Distinct(touches);
        var firstRevert = distinct.Where(t => t.Classification == "revert").OrderBy(t => t.TouchedTs).FirstOrDefault();
        return new DownstreamDocument(
            TouchCount: distinct.Count,
            FixCount: distinct.Count(t => t.Classification == "fix"),
            RevertCount: distinct.Count(t => t.Classification == "revert"),
            RevertedBy: firstRevert?.TouchSha,
            LastTouchAt: distinct.Count == 0 ? null : distinct.Max(t => t.TouchedTs),
            StillGoodAfterDays: days,
            StillGood: StillGood(since, distinct, now, days));
    }

    /// <summary>One touch per sha; a revert classification wins over fix, fix over other.</summary>
    public static IReadOnlyList<TouchRow> Distinct(IEnumerable<TouchRow> touches) =>
        touches.GroupBy(t => t.TouchSha, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.OrderBy(t => Rank(t.Classification)).ThenBy(t => t.TouchedTs).First())
            .OrderBy(t => t.TouchedTs)
            .ToList();

    private static int Rank(string classification) => classification switch
    {
        "revert" => 0,
        "fix" => 1,
        _ => 2,
    };
}
