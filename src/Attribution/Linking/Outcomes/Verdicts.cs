using Attribution.Store;

namespace Attribution.Linking.Outcomes;

/// <summary>
/// The one definition of every verdict the surfaces show (commit and session documents, CLI sentences,
/// <c>/api/yield</c>, <c>/yield</c>, <c>/providers</c>, the PR stage report, the pages, MCP). Pure: every input,
/// "now" included, is passed in. It lives in <c>Linking/Outcomes</c> because a verdict is an outcome of the
/// linking engine's facts (links, downstream touches, CI runs), and STYLE.md puts "outcomes (one definition of
/// each verdict)" there; the surfaces call it instead of judging for themselves.
/// <list type="bullet">
/// <item><b>Still good after N days</b>: the window is the half-open interval [t, t + N days) from the reference
/// time t (the commit time, or the PR's merge time). Work younger than N days at "now" is
/// <see cref="StillGoodVerdict.TooYoung"/> — never "not still good", even when a fix already landed (it is
/// judged once its window closes). Old enough: <see cref="StillGoodVerdict.NotStillGood"/> when a <c>fix</c> or
/// <c>revert</c> touch (or a revert of the PR) falls in the window, else <see cref="StillGoodVerdict.StillGood"/>.</item>
/// <item><b>CI outcome</b>: the one roll-up of the runs (newest run per workflow; failure, then pending, then
/// success). A PR is judged by the runs of what landed (its merge commit) when those exist, else by its head.</item>
/// <item><b>Touches</b>: later commits by other work touching the same files, each commit counted once
/// however many of the work's commits it touched (<see cref="DistinctTouches"/>).</item>
/// <item><b>Only links that count</b>: a session's figures use only commits linked at or above
/// <see cref="DefaultMinConfidence"/> (or the surface's own threshold).</item>
/// </list>
/// </summary>
public static class Verdicts
{
    /// <summary>N of "still good after N days" unless a surface says otherwise.</summary>
    public const int StillGoodDays = 14;

    /// <summary>The longer survival horizon (lines still present after 30 days).</summary>
    public const int SurvivalDays = 30;

    /// <summary>Confidence from which a link counts on user-facing surfaces (CONTRACT §6).</summary>
    public const double DefaultMinConfidence = 0.5;

    public const string Revert = DownstreamRules.Revert;
    public const string Fix = DownstreamRules.Fix;

    /// <summary>True for the touch classes that mean the work did not hold: a fix or a revert.</summary>
    public static bool IsBad(string? classification) => classification is Revert or Fix;

    /// <summary>Reads a surface's <c>minConfidence</c>: blank means <see cref="DefaultMinConfidence"/>; else a number from 0 to 1.</summary>
    public static bool TryParseMinConfidence(string? text, out double value)
    {
        value = DefaultMinConfidence;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value)
            && !double.IsNaN(value) && value is >= 0 and <= 1;
    }

    /// <summary>Whether a link of this confidence counts in the figures at <paramref name="minConfidence"/>.</summary>
    public static bool Counts(double confidence, double minConfidence = DefaultMinConfidence) => confidence >= minConfidence;

    /// <summary>Still good after <paramref name="days"/> from <paramref name="since"/>, given the times of the work's fix and revert touches.</summary>
    public static StillGoodVerdict StillGood(DateTimeOffset? since, IEnumerable<DateTimeOffset> badTouchTimes, DateTimeOffset now, int days = StillGoodDays)
    {
        ArgumentNullException.ThrowIfNull(badTouchTimes);
        if (since is not { } start)
        {
            return StillGoodVerdict.TooYoung;
        }

        var end = start.AddDays(days);
        if (now < end)
        {
            return StillGoodVerdict.TooYoung;
        }

        return badTouchTimes.Any(t => t >= start && t < end) ? StillGoodVerdict.NotStillGood : StillGoodVerdict.StillGood;
    }

    /// <summary>The JSON form: true, false, or null for "too young to judge".</summary>
    public static bool? AsFlag(StillGoodVerdict verdict) => verdict switch
    {
        StillGoodVerdict.StillGood => true,
        StillGoodVerdict.NotStillGood => false,
        _ => null,
    };

    /// <summary>The words every text surface uses: "still good", "not still good", "too young to judge".</summary>
    public static string Phrase(bool? stillGood) => stillGood switch
    {
        true => "still good",
        false => "not still good",
        null => "too young to judge",
    };

    /// <summary>The CI outcome of a set of runs (a commit's, or all a session's), through the one roll-up.</summary>
    public static string? CiOutcome(IEnumerable<CiRunRow> runs) => Common.CiStatus.Of(runs.Select(r => r.ToState()));

    /// <summary>Whether one commit's CI passed on the first try (<see cref="Common.CiStatus.FirstPass"/>); null when none of its runs passed or failed.</summary>
    public static bool? CiFirstPass(IEnumerable<CiRunRow> runs) => Common.CiStatus.FirstPass(runs.Select(r => r.ToState()));

    /// <summary>The runs that judge a PR: those of its merge commit when any ran, else those of its head.</summary>
    public static IReadOnlyList<CiRunRow> PullRequestRuns(IReadOnlyList<CiRunRow> mergeCommitRuns, IReadOnlyList<CiRunRow> headRuns) =>
        mergeCommitRuns.Count > 0 ? mergeCommitRuns : headRuns;

    /// <summary>One touch per commit sha; a revert classification wins over fix, fix over other; oldest first.</summary>
    public static IReadOnlyList<TouchRow> DistinctTouches(IEnumerable<TouchRow> touches) =>
        touches.GroupBy(t => t.TouchSha, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.OrderBy(t => Rank(t.Classification)).ThenBy(t => t.TouchedTs).First())
            .OrderBy(t => t.TouchedTs)
            .ToList();

    /// <summary>The gravest of several classifications of one touching commit: revert, then fix, then other.</summary>
    public static string Gravest(IEnumerable<string> classifications) => classifications.MinBy(Rank) ?? DownstreamRules.Other;

    private static int Rank(string classification) => classification switch
    {
        Revert => 0,
        Fix => 1,
        _ => 2,
    };
}
