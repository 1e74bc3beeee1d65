using Attribution.Store;

namespace Attribution.Linking;

/// <summary>
/// Survival of written lines, the one definition every surface shows: the share of the lines a piece of work wrote that
/// are still there at a horizon (the head of the default branch, or 14 or 30 days after it landed). Unknown (null) when
/// the horizon has not passed, the work is not in that branch's history, or it wrote no lines. Over several pieces of
/// work (a session's commits), only those with a known figure count, each weighed by its lines. Pure.
/// </summary>
public static class LineSurvival
{
    /// <summary>The figures of one or more targets, summed.</summary>
    public sealed record Figures(int Targets, int LinesWritten, int? LinesAtHead, int? LinesAfter14d, int? LinesAfter30d, int LinesRewrittenByOthers)
    {
        public double? AtHead => Share(LinesAtHead, WrittenWhere(o => o.LinesAtHead));
        public double? After14d => Share(LinesAfter14d, WrittenWhere(o => o.LinesAfter14d));
        public double? After30d => Share(LinesAfter30d, WrittenWhere(o => o.LinesAfter30d));

        internal IReadOnlyList<LineOutcome> Parts { get; init; } = [];

        private int WrittenWhere(Func<LineOutcome, int?> horizon) => Parts.Where(p => horizon(p) is not null).Sum(p => p.LinesWritten);
    }

    /// <summary>present / written rounded to 4 places; null when either is unknown or nothing was written.</summary>
    public static double? Share(int? present, int written) =>
        present is { } p && written > 0 ? Math.Round(Math.Min(p, written) / (double)written, 4) : null;

    /// <summary>The sum of the targets' figures; a horizon's lines are summed over targets where it is known (null when none).</summary>
    public static Figures Of(IReadOnlyCollection<LineOutcome> outcomes) => new(
        outcomes.Count,
        outcomes.Sum(o => o.LinesWritten),
        SumKnown(outcomes.Select(o => o.LinesAtHead)),
        SumKnown(outcomes.Select(o => o.LinesAfter14d)),
        SumKnown(outcomes.Select(o => o.LinesAfter30d)),
        outcomes.Sum(o => o.LinesRewrittenByOthers))
    { Parts = outcomes.ToList() };

    private static int? SumKnown(IEnumerable<int?> values)
    {
        var known = values.Where(v => v is not null).ToList();
        return known.Count == 0 ? null : known.Sum();
    }
}
