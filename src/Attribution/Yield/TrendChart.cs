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
public sealed record TrendChart(
    double Width,
    double Height,
    double PlotLeft,
    double PlotTop,
    double PlotWidth,
    double PlotHeight,
    TrendMetric Metric,
    IReadOnlyList<TrendLine> Lines,
    IReadOnlyList<ChartLabel> XLabels,
    IReadOnlyList<ChartLabel> YTicks)
{
    public const double DefaultWidth = 760;
    public const double DefaultHeight = 260;

    public static TrendChart Build(IReadOnlyList<TrendBucket> buckets, IReadOnlyList<TrendSeries> series, TrendMetric metric,
        double width = DefaultWidth, double height = DefaultHeight)
    {
        const double left = 52, right = 12, top = 12, bottom = 30;
        var plotWidth = width - left - right;
        var plotHeight = height - top - bottom;
        var values = series.SelectMany(s => s.Points.Select(metric.Value)).OfType<double>().ToList();
        var max = metric.IsShare ? 1 : NiceCeiling(values.Count == 0 ? 0 : values.Max());
        var slot = buckets.Count == 0 ? 0 : plotWidth / buckets.Count;
        double X(int i) => Round(left + (i * slot) + (slot / 2));
        double Y(double v) => Round(top + plotHeight - (plotHeight * Math.Min(v, max) / max));

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

        var every = Math.Max(1, (int)Math.Ceiling(buckets.Count / 7.0));
        var xLabels = buckets.Select((b, i) => (b, i)).Where(x => x.i % every == 0).Select(x => ChartLabel.UnderAxis(X(x.i), x.b.Label, width)).ToList();
        var ticks = Enumerable.Range(0, 5).Select(k => max * k / 4.0)
            .Select(v => new ChartLabel(Y(v), Format(metric, v))).ToList();
        return new TrendChart(width, height, left, top, plotWidth, plotHeight, metric, lines, xLabels, ticks);
    }

    /// <summary>A figure as the chart and its table show it: shares as whole percents, money and counts with two decimals.</summary>
    public static string Format(TrendMetric metric, double value) =>
        metric.IsShare
            ? (value * 100).ToString("0", CultureInfo.InvariantCulture) + " %"
            : value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>1, 2, 5 × 10^k at or above the value (at least 1).</summary>
    public static double NiceCeiling(double value)
    {
        if (value <= 1)
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1.0, 2, 5, 10 })
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static double Round(double value) => Math.Round(value, 2);
}
