using System.Globalization;

namespace Attribution.Yield;

/// <summary>One drawn point of a trend line (SVG user units) and the figure it shows.</summary>
public sealed record TrendMark(double X, double Y, double Value, string Text, int Series, string Bucket);

/// <summary>One series as drawn: its marks in bucket order (buckets without a figure leave a gap).</summary>
public sealed record TrendLine(int Series, string Name, IReadOnlyList<IReadOnlyList<TrendMark>> Segments)
{
    public IEnumerable<TrendMark> Marks => Segments.SelectMany(s => s);
}

/// <summary>Geometry of a trend chart: one line per series of one <see cref="TrendMetric"/> (pure; no HTML).</summary>
public sealed record TrendChart(ChartFrame Frame, TrendMetric Metric, IReadOnlyList<TrendLine> Lines, IReadOnlyList<ChartLabel> XLabels, IReadOnlyList<ChartLabel> YTicks)
{
    public const double DefaultWidth = 760;
    public const double DefaultHeight = 260;

    public static TrendChart Build(IReadOnlyList<TrendBucket> buckets, IReadOnlyList<TrendSeries> series, TrendMetric metric,
        double width = DefaultWidth, double height = DefaultHeight)
    {
        var frame = ChartFrame.Inside(width, height, left: 52, right: 12, top: 12, bottom: 30);
        var values = series.SelectMany(s => s.Points.Select(metric.Value)).OfType<double>().ToList();
        var max = metric.IsShare ? 1 : ChartFrame.NiceCeiling(values.Count == 0 ? 0 : values.Max());
        double X(int i) => frame.SlotCentre(i, buckets.Count);
        double Y(double v) => ChartFrame.Round(frame.Bottom - (frame.PlotHeight * Math.Min(v, max) / max));

        var lines = series.Select((s, n) =>
        {
            var segments = new List<IReadOnlyList<TrendMark>>();
            var current = new List<TrendMark>();
            for (var i = 0; i < buckets.Count && i < s.Points.Count; i++)
            {
                if (metric.Value(s.Points[i]) is { } v)
                {
                    current.Add(new TrendMark(X(i), Y(v), v, Format(metric, v), n, buckets[i].Label));
                }
                else if (current.Count > 0)
                {
                    segments.Add(current);
                    current = [];
                }
            }

            if (current.Count > 0)
            {
                segments.Add(current);
            }

            return new TrendLine(n, s.Name, segments);
        }).ToList();

        var ticks = Enumerable.Range(0, 5).Select(k => max * k / 4.0)
            .Select(v => new ChartLabel(Y(v), Format(metric, v))).ToList();
        return new TrendChart(frame, metric, lines, frame.XLabels([.. buckets.Select(b => b.Label)], most: 7), ticks);
    }

    /// <summary>A figure as the chart and its table show it: shares as whole percents, money and counts with two decimals.</summary>
    public static string Format(TrendMetric metric, double value) =>
        metric.IsShare
            ? (value * 100).ToString("0", CultureInfo.InvariantCulture) + " %"
            : value.ToString("0.##", CultureInfo.InvariantCulture);
}
