using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Attribution.Common;

/// <summary>
/// The one reader of every <c>--since</c>, <c>since=</c> and <c>period</c> value (CLI, API, MCP, CSTP, pages).
/// Accepted: a duration back from now (<c>30d</c>, <c>12h</c>, <c>45m</c>, <c>2w</c>, <c>1.5d</c>; unit any case),
/// an ISO-8601 date or timestamp (<c>2026-11-01</c>, <c>2026-11-01T08:00:00Z</c>; no offset means UTC; not in
/// the future), <c>today</c> (since 00:00 UTC) and <c>all</c> (no lower bound). Pure: "now" is passed in.
/// </summary>
/// <param name="Name">The value as shown back to the user (durations lower-cased, e.g. <c>30d</c>).</param>
/// <param name="From">The instant the window starts; null for <c>all</c>.</param>
public sealed record Since(string Name, DateTimeOffset? From)
{
    /// <summary>The longest duration accepted (a typo such as 99999999d should not underflow dates).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(36500);

    public const string All = "all";

    public const string Today = "today";

    /// <summary>What a valid value looks like, for error messages.</summary>
    public const string Rule = "Use a duration such as 30d, 12h, 45m or 2w, a date such as 2026-11-01, a timestamp such as 2026-11-01T08:00:00Z, today or all.";

    /// <summary>The span back from now this window covers; null for <c>all</c>.</summary>
    public TimeSpan? SpanBefore(DateTimeOffset now) => From is { } from ? now - from : null;

    /// <summary>Parses a value; on failure <paramref name="error"/> says why, in one sentence ending with <see cref="Rule"/>.</summary>
    public static bool TryParse(string? text, DateTimeOffset now, [NotNullWhen(true)] out Since? since, out string error)
    {
        since = null;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "The value is empty. " + Rule;
            return false;
        }

        var value = text.Trim();
        var lower = value.ToLowerInvariant();
        if (lower == All)
        {
            since = new Since(All, null);
            return true;
        }

        if (lower == Today)
        {
            var utc = now.ToUniversalTime();
            since = new Since(Today, new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero));
            return true;
        }

        if (TryParseDuration(lower, out var duration))
        {
            since = new Since(lower, now - duration);
            return true;
        }

        // Dates only: a bare number is not a date (the lenient parser would read it as a year).
        if (value.Length >= 10 && char.IsAsciiDigit(value[0]) && value[4] == '-'
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            if (instant > now)
            {
                error = $"'{value}' is in the future. " + Rule;
                return false;
            }

            since = new Since(value, instant);
            return true;
        }

        error = $"'{value}' is not a duration, date or timestamp. " + Rule;
        return false;
    }

    /// <summary>
    /// A command's <c>--since</c> as the span back from now it covers: null when the option is absent or <c>all</c>;
    /// a usage error (exit 2) naming the option when the value is not one.
    /// </summary>
    public static TimeSpan? OptionSpan(string? text, DateTimeOffset now, string option = "--since") =>
        text is null ? null
        : TryParse(text, now, out var window, out var error) ? window.SpanBefore(now)
        : throw CliException.Usage(option + " " + error);

    /// <summary>Parses a value; null when it is not one.</summary>
    public static Since? Parse(string? text, DateTimeOffset now) => TryParse(text, now, out var since, out _) ? since : null;

    /// <summary>Parses <c>&lt;positive number&gt;&lt;m|h|d|w&gt;</c> (unit any case, at most <see cref="MaxDuration"/>).</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text is null || text.Length < 2)
        {
            return false;
        }

        var digits = text.AsSpan(0, text.Length - 1);
        // Digits with at most one inner dot: no sign, exponent or thousands separator.
        if (!char.IsAsciiDigit(digits[0]) || !char.IsAsciiDigit(digits[^1]) || digits.ContainsAnyExcept("0123456789.")
            || digits.Count('.') > 1
            || !double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
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
