using Attribution.Hosting;
using Microsoft.Extensions.Options;
using Attribution.Common;

namespace Attribution.Linking;

/// <summary>
/// In <c>serve</c>: runs the attribution pass once at start, then whenever new data is announced on
/// <see cref="ChangeSignal"/>, after a quiet spell (debounce) and never more often than the minimum interval.
/// </summary>
public sealed partial class AttributionBackgroundService(
    ChangeSignal signal,
    PassSignal passes,
    AttributionBackfill backfill,
    IOptions<LinkingOptions> options,
    TimeProvider time,
    ILogger<AttributionBackgroundService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Background)
        {
            return;
        }

        var debounce = TimeSpan.FromSeconds(Math.Max(0, settings.DebounceSeconds));
        var minInterval = TimeSpan.FromSeconds(Math.Max(0, settings.MinIntervalSeconds));
        DateTimeOffset? lastRun = null;
        var first = true;
        var deferred = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Line facts left for later: run again after the minimum interval, without waiting for new data.
                if (!first && !deferred)
                {
                    await signal.WaitAsync(stoppingToken);

                    // Wait for a quiet spell so a burst of deliveries gives one pass.
                    var seen = signal.Version;
                    while (true)
                    {
                        await Task.Delay(debounce, time, stoppingToken);
                        if (signal.Version == seen)
                        {
                            break;
                        }

                        seen = signal.Version;
                    }
                }

                if (!first && lastRun is { } last && time.GetUtcNow() - last < minInterval)
                {
                    await Task.Delay(minInterval - (time.GetUtcNow() - last), time, stoppingToken);
                }

                first = false;
                lastRun = time.GetUtcNow();
                deferred = (await backfill.RunAsync(null, null, null, stoppingToken)).LineTargetsDeferred > 0;
                passes.Notify();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The background pass must survive any single failure; it is logged and retried on the next signal.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogPassFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 4210, Level = LogLevel.Error, Message = "Background attribution pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
