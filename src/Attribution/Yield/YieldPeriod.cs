using System.Globalization;

namespace Attribution.Yield;

/// <summary>
/// A reporting window: <c>today</c> (since 00:00 UTC), <c>7d</c>, <c>30d</c>, any <c>Nd</c> (1–3650), or <c>all</c>.
/// Pure: the caller passes "now".
/// </summary>
public sealed record YieldPeriod(string Name, DateTimeOffset? Since)
{
    public const string Default = "7d";

    /// <summary>Parses a period; null when the text is not one.</summary>
    public static YieldPeriod? TryParse(string? text, DateTimeOffset now)
    {
        var value = string.IsNullOrWhiteSpace(text) ? Default : text.Trim().ToLowerInvariant();
        if (value == "all")
        {
            return new YieldPeriod("all", null);
        }

        if (value == "today")
        {
            var utc = now.ToUniversalTime();
            return new YieldPeriod("today", new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero));
        }

        if (value.Length >= 2 && value[^1] == 'd'
            && int.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var days)
            && days is >= 1 and <= 3650)
        {
            return new YieldPeriod(days.ToString(CultureInfo.InvariantCulture) + "d", now.ToUniversalTime().AddDays(-days));
        }

        return null;
    }
}
