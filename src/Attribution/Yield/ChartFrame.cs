namespace Attribution.Yield;

/// <summary>
/// The frame a yield chart draws in (SVG user units): the picture's size, the plot inside its margins, and the buckets
/// along the x axis, one equal slot each, labelled under the axis. Pure; the pages only draw it.
/// </summary>
public sealed record ChartFrame(double Width, double Height, double PlotLeft, double PlotTop, double PlotWidth, double PlotHeight)
{
    /// <summary>A <paramref name="width"/> × <paramref name="height"/> picture whose plot keeps these margins free.</summary>
    public static ChartFrame Inside(double width, double height, double left, double right, double top, double bottom) =>
        new(width, height, left, top, width - left - right, height - top - bottom);

    /// <summary>The y of the x axis (the bottom of the plot).</summary>
    public double Bottom => PlotTop + PlotHeight;

    /// <summary>The width of each of <paramref name="count"/> equal slots across the plot (0 when there are none).</summary>
    public double Slot(int count) => count == 0 ? 0 : PlotWidth / count;

    /// <summary>The x of the middle of slot <paramref name="index"/> of <paramref name="count"/>.</summary>
    public double SlotCentre(int index, int count) => Round(PlotLeft + (index * Slot(count)) + (Slot(count) / 2));

    /// <summary>Labels under the x axis, one per bucket thinned to every n-th so that at most <paramref name="most"/> show.</summary>
    public IReadOnlyList<ChartLabel> XLabels(IReadOnlyList<string> buckets, int most)
    {
        var every = Math.Max(1, (int)Math.Ceiling(buckets.Count / (double)most));
        return [.. buckets.Select((label, i) => (label, i)).Where(b => b.i % every == 0).Select(b => ChartLabel.UnderAxis(SlotCentre(b.i, buckets.Count), b.label, Width))];
    }

    /// <summary>1, 2, 5 × 10^k at or above the value (at least 1): the top of a chart's scale.</summary>
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

    /// <summary>Positions are written with two decimals.</summary>
    public static double Round(double value) => Math.Round(value, 2);
}
