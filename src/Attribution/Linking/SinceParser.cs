using System.Globalization;

namespace Attribution.Linking;

/// <summary><c>--since</c> values: <c>30d</c>, <c>12h</c>, <c>2w</c>, <c>90m</c>, or an ISO date (<c>2026-10-01</c>).</summary>
public static class SinceParser
{
    /// <summary>The span back from <paramref name="now"/>; null when the text is not understood.</summary>
    public static TimeSpan? Parse(string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var t = text.Trim().ToLowerInvariant();
        if (t.Length >= 2 && double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0)
        {
            TimeSpan? span = t[^1] switch
            {
                'd' => TimeSpan.FromDays(n),
                'h' => TimeSpan.FromHours(n),
                'w' => TimeSpan.FromDays(7 * n),
                'm' => TimeSpan.FromMinutes(n),
                _ => null,
            };
            if (span is not null)
            {
                return span;
            }
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) && at <= now)
        {
            return now - at;
        }

        return null;
    }
}
