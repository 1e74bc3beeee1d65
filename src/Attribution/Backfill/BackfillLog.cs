namespace Attribution.Backfill;

/// <summary>Log messages of the REST backfill (event ids 8000-8099). Never logs tokens or bodies.</summary>
internal static partial class BackfillLog
{
    [LoggerMessage(8001, LogLevel.Warning, "Rate limited ({Kind}): waiting {Seconds:0}s until {Until:O}")]
    public static partial void RateLimited(ILogger logger, string kind, double seconds, DateTimeOffset until);

    [LoggerMessage(8002, LogLevel.Warning, "Request failed ({Reason}): retrying in {Seconds:0.0}s (retry {Attempt} of {Max})")]
    public static partial void Retrying(ILogger logger, string reason, double seconds, int attempt, int max);

    [LoggerMessage(8003, LogLevel.Information, "Resuming {Provider} {Repo} from page {Page} (PRs updated up to {Reached:O} are done)")]
    public static partial void Resuming(ILogger logger, string provider, string repo, int page, DateTimeOffset reached);

    [LoggerMessage(8004, LogLevel.Information, "{Summary}")]
    public static partial void Finished(ILogger logger, string summary);

    [LoggerMessage(8005, LogLevel.Error, "Scheduled backfill of {Provider} {Repo} failed: {Message}")]
    public static partial void ScheduledRunFailed(ILogger logger, string provider, string repo, string message);
}
