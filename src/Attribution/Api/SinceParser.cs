using System.Globalization;

namespace Attribution.Api;

/// <summary>
/// Parses "since" values shared by the API, MCP and CLI options: a duration back from now (<c>30d</c>,
/// <c>12h</c>, <c>45m</c>, <c>2w</c>) or an ISO-8601 date or timestamp (<c>2026-11-01</c>,
/// <c>2026-11-01T08:00:00Z</c>; no offset means UTC). Pure: "now" is passed in.
/// </summary>
public static class SinceParser
{
    /// <summary>The longest duration accepted (a typo such as 99999999d should not underflow dates).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(36500);

    public const string Rule = "Use a duration such as 30d, 12h, 45m or 2w, or an ISO-8601 date such as 2026-11-01.";

    public static bool TryParse(string? text, DateTimeOffset now, out DateTimeOffset since)
    {
        since = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var value = text.Trim();
        if (TryParseDuration(value, out var duration))
        {
            since = now - duration;
            return true;
        }

        // Dates only: a bare number is not a date (it would be read as a year by the lenient parser).
        if (value.Length >= 10 && char.IsAsciiDigit(value[0]) && value[4] == '-'
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            since = instant;
            return true;
        }

        return false;
    }

    /// <summary>Parses <c>&lt;positive integer&gt;&lt;m|h|d|w&gt;</c> (unit case-insensitive).</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length < 2)
        {
            return false;
        }

        var digits = text.AsSpan(0, text.Length - 1);
        if (!digits.ToString().All(char.IsAsciiDigit)
            || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            return false;
        }

        var minutes = char.ToLowerInvariant(text[^1]) switch
        {
            'm' => 1.0,
            'h' => 60.0,
            'd' => 1440.0,
            'w' => 10080.0,
            _ => double.NaN,
        };
        if (double.IsNaN(minutes) || amount * minutes > MaxDuration.TotalMinutes)
        {
            return false;
        }

        duration = TimeSpan.FromMinutes(amount * minutes);
        return true;
    }
}
