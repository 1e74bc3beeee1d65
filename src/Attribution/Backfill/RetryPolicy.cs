using System.Globalization;
using System.Net;

namespace Attribution.Backfill;

/// <summary>
/// The retry rules both providers share, as a pure function of one response:
/// primary limits (<c>X-RateLimit-Remaining: 0</c>, GitLab <c>RateLimit-Remaining: 0</c>) wait until the reset
/// time; secondary limits (<c>Retry-After</c>, or GitHub's 403 "secondary rate limit"/"abuse" without headers)
/// wait as told or a minute; 5xx and timeouts back off exponentially with jitter.
/// </summary>
public static class RetryPolicy
{
    public static readonly TimeSpan BaseBackoff = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan SecondaryDefault = TimeSpan.FromSeconds(60);

    /// <param name="header">Reads a response header (first value) or null.</param>
    /// <param name="body">The error body (only read for 403/429), for GitHub's secondary-limit message.</param>
    /// <param name="errorAttempt">How many error retries were already made (0 for the first).</param>
    /// <param name="jitter">A random number in [0, 1).</param>
    public static RetryDecision Decide(HttpStatusCode status, Func<string, string?> header, string? body, int errorAttempt, DateTimeOffset now, double jitter)
    {
        var code = (int)status;
        if (code is 403 or 429)
        {
            if (ParseRetryAfter(header("Retry-After"), now) is { } retryAfter)
            {
                return new RetryDecision(RetryKind.SecondaryRateLimit, retryAfter);
            }

            var remaining = header("X-RateLimit-Remaining") ?? header("RateLimit-Remaining");
            var reset = header("X-RateLimit-Reset") ?? header("RateLimit-Reset");
            if (remaining == "0" && long.TryParse(reset, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
            {
                var wait = DateTimeOffset.FromUnixTimeSeconds(epoch) - now;
                // One second past the reset: the window boundary is second-granular.
                return new RetryDecision(RetryKind.PrimaryRateLimit, (wait < TimeSpan.Zero ? TimeSpan.Zero : wait) + TimeSpan.FromSeconds(1));
            }

            if (body is not null && (body.Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase)
                || body.Contains("abuse", StringComparison.OrdinalIgnoreCase)))
            {
                return new RetryDecision(RetryKind.SecondaryRateLimit, SecondaryDefault * Math.Pow(2, Math.Min(errorAttempt, 4)));
            }

            return code == 429 ? new RetryDecision(RetryKind.SecondaryRateLimit, Backoff(errorAttempt, jitter)) : RetryDecision.Stop;
        }

        if (code is 500 or 502 or 503 or 504)
        {
            return new RetryDecision(RetryKind.ServerError, ParseRetryAfter(header("Retry-After"), now) ?? Backoff(errorAttempt, jitter));
        }

        return RetryDecision.Stop;
    }

    /// <summary>Exponential backoff with jitter: between half and all of base·2^attempt, capped.</summary>
    public static TimeSpan Backoff(int attempt, double jitter)
    {
        var full = BaseBackoff * Math.Pow(2, Math.Min(attempt, 10));
        if (full > MaxBackoff)
        {
            full = MaxBackoff;
        }

        return full * (0.5 + (0.5 * Math.Clamp(jitter, 0, 1)));
    }

    /// <summary><c>Retry-After</c> as delta-seconds or an HTTP date.</summary>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(value.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            var wait = at - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
