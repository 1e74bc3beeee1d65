namespace Attribution.Backfill;

/// <summary>Retry budgets and timeouts of the REST clients (tests shorten the timeout).</summary>
public sealed record BackfillHttpSettings
{
    /// <summary>Retries after 5xx, timeouts and connection errors (each backed off with jitter).</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>How many rate-limit waits one request may take before the run gives up.</summary>
    public int MaxRateLimitWaits { get; init; } = 10;

    /// <summary>A single wait longer than this ends the run instead (GitHub resets within the hour).</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMinutes(65);

    /// <summary>Wall-clock limit of one attempt (headers and body).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Items per page requested from the APIs (both allow at most 100).</summary>
    public int PageSize { get; init; } = 100;
}
