using System.Globalization;

namespace Attribution.Yield;

/// <summary>One stacked segment of the outcome-over-time chart (SVG user units).</summary>
public sealed record ChartSegment(double X, double Y, double Width, double Height, string Outcome, int Count, string BucketLabel);

/// <summary>An axis label at a position; <see cref="Anchor"/> is its SVG <c>text-anchor</c>.</summary>
public sealed record ChartLabel(double Position, string Text)
{
    public string Anchor { get; init; } = "middle";

    /// <summary>
    /// A label under the x axis, centred on its position unless half of it (at about 7.5 px a character of the 12 px
    /// axis font) would run past the chart's right edge: then it ends at its position, so the last label is never cut.
    /// </summary>
    public static ChartLabel UnderAxis(double position, string text, double chartWidth) =>
        new(position, text) { Anchor = position + (text.Length * 7.5 / 2) > chartWidth ? "end" : "middle" };
}

/// <summary>One horizontal bar of the cost-by-outcome chart.</summary>
public sealed record CostBar(double Y, double Width, string Outcome, double CostUsd, int Sessions);

/// <summary>Geometry of the two yield charts, computed here so the page only draws (pure; no HTML).</summary>
public sealed record OutcomeChart(ChartFrame Frame, int Max, IReadOnlyList<ChartSegment> Segments, IReadOnlyList<ChartLabel> XLabels, IReadOnlyList<ChartLabel> YTicks)
{
    public const double DefaultWidth = 760;
    public const double DefaultHeight = 240;

    public static OutcomeChart Build(IReadOnlyList<YieldOutcomeBucket> buckets, double width = DefaultWidth, double height = DefaultHeight)
    {
        var frame = ChartFrame.Inside(width, height, left: 40, right: 8, top: 10, bottom: 30);
        var max = NiceMax(buckets.Count == 0 ? 0 : buckets.Max(b => b.Total));
        var segments = new List<ChartSegment>();
        var slot = frame.Slot(buckets.Count);
        var barWidth = Math.Max(1, slot * 0.72);
        for (var i = 0; i < buckets.Count; i++)
        {
            var bucket = buckets[i];
            var x = frame.PlotLeft + (i * slot) + ((slot - barWidth) / 2);
            var baseline = frame.Bottom;
            foreach (var outcome in OutcomeClass.All)
            {
                var count = bucket.Counts.GetValueOrDefault(outcome);
                if (count == 0)
                {
                    continue;
                }

                var h = frame.PlotHeight * count / max;
                baseline -= h;
                segments.Add(new ChartSegment(Round(x), Round(baseline), Round(barWidth), Round(h), outcome, count, bucket.Label));
            }
        }

        var ticks = new List<ChartLabel>();
        for (var k = 0; k <= 4; k++)
        {
            var value = max * k / 4.0;
            if (k > 0 && value != Math.Floor(value))
            {
                continue;
            }

            ticks.Add(new ChartLabel(Round(frame.Bottom - (frame.PlotHeight * k / 4.0)), value.ToString("0", CultureInfo.InvariantCulture)));
        }

        return new OutcomeChart(frame, max, segments, frame.XLabels([.. buckets.Select(b => b.Label)], most: 8), ticks);
    }

    /// <summary>Bars of cost per outcome class, one row each, scaled to the largest cost.</summary>
    public static IReadOnlyList<CostBar> CostBars(IReadOnlyList<YieldOutcomeCost> costs, double plotWidth, double rowHeight)
    {
        var max = costs.Count == 0 ? 0 : costs.Max(c => c.CostUsd);
        return costs
            .Select((c, i) => new CostBar(Round(i * rowHeight), max <= 0 ? 0 : Round(Math.Max(c.CostUsd > 0 ? 2 : 0, plotWidth * c.CostUsd / max)), c.Outcome, c.CostUsd, c.Sessions))
            .ToList();
    }

    /// <summary>1, 2, 5 × 10^k at or above the value (at least 1).</summary>
    public static int NiceMax(int value) => (int)ChartFrame.NiceCeiling(value);

    private static double Round(double value) => ChartFrame.Round(value);
}
