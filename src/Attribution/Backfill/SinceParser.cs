using System.Globalization;

namespace Attribution.Backfill;

/// <summary>Parses <c>--since</c>: a span (<c>30d</c>, <c>12h</c>, <c>2w</c>, <c>45m</c>) back from now, or an ISO-8601 date/time.</summary>
public static class SinceParser
{
    public static bool TryParse(string? text, DateTimeOffset now, out DateTimeOffset since)
    {
        since = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var unit = char.ToLowerInvariant(text[^1]);
        if (unit is 'd' or 'h' or 'w' or 'm'
            && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            && amount > 0 && amount <= 100_000)
        {
            var span = unit switch
            {
                'w' => TimeSpan.FromDays(7 * amount),
                'd' => TimeSpan.FromDays(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromMinutes(amount),
            };
            since = now - span;
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            && text.Length >= 10 && at <= now)
        {
            since = at;
            return true;
        }

        return false;
    }
}
