using System.Text.Json;
using System.Threading.Channels;
using Attribution.Hosting;
using Attribution.Store;

namespace Attribution.Webhooks;

/// <summary>
/// The inbox: applies stored deliveries. On start it replays every pending row (a crash between storing and
/// processing loses nothing), then handles rows announced by the receivers, and sweeps for pending rows
/// periodically (rows left by another instance or a full announcement queue). Each row is claimed atomically,
/// its effects and its new status commit together, so two instances never apply one delivery twice.
/// </summary>
public sealed class DeliveryProcessor(
    DeliveryStore deliveries,
    WebhookEffectApplier applier,
    IDbConnectionFactory connections,
    ChangeSignal changes,
    TimeProvider time,
    ILogger<DeliveryProcessor> logger) : BackgroundService
{
    public const int MaxAttempts = 5;
    private const int BatchSize = 64;
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly Channel<long> _announced = Channel.CreateBounded<long>(new BoundedChannelOptions(65536)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    /// <summary>Announces a newly stored delivery. If the queue is full the periodic sweep picks the row up.</summary>
    public void Announce(long rowId) => _announced.Writer.TryWrite(rowId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var replayed = await SweepAsync(stoppingToken);
            if (replayed > 0)
            {
                WebhookLog.Replayed(logger, replayed);
            }

            var lastSweep = time.GetUtcNow();
            var batch = new List<long>(BatchSize);
            while (!stoppingToken.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(SweepInterval);
                try
                {
                    await _announced.Reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // Sweep interval elapsed without announcements.
                }

                batch.Clear();
                while (batch.Count < BatchSize && _announced.Reader.TryRead(out var id))
                {
                    batch.Add(id);
                }

                if (batch.Count > 0)
                {
                    await ProcessAsync(batch, stoppingToken);
                }

                if (time.GetUtcNow() - lastSweep >= SweepInterval)
                {
                    lastSweep = time.GetUtcNow();
                    await SweepAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; pending rows are replayed on the next start.
        }
    }

    /// <summary>Processes every pending row once, oldest first; returns how many rows were looked at.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        var after = 0L;
        while (true)
        {
            var ids = await deliveries.ListPendingIdsAsync(after, BatchSize, cancellationToken);
            if (ids.Count == 0)
            {
                return total;
            }

            await ProcessAsync(ids, cancellationToken);
            total += ids.Count;
            after = ids[^1];
        }
    }

    /// <summary>Processes rows in one transaction; if that fails, one by one so one bad row cannot hold back the others.</summary>
    public async Task ProcessAsync(IReadOnlyList<long> rowIds, CancellationToken cancellationToken)
    {
        var ordered = rowIds.Distinct().Order().ToList();
        try
        {
            if (await ProcessInOneTransactionAsync(ordered, cancellationToken) > 0)
            {
                changes.Notify("webhooks");
            }

            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ordered.Count > 1)
        {
            // Fall through to one at a time.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            WebhookLog.ProcessFailed(logger, ordered[0], 0, ex);
            await deliveries.RecordFailureAsync(ordered[0], Describe(ex), MaxAttempts, time.GetUtcNow(), cancellationToken);
            return;
        }

        var processed = 0;
        foreach (var id in ordered)
        {
            try
            {
                processed += await ProcessInOneTransactionAsync([id], cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                WebhookLog.ProcessFailed(logger, id, 0, ex);
                await deliveries.RecordFailureAsync(id, Describe(ex), MaxAttempts, time.GetUtcNow(), cancellationToken);
            }
        }

        if (processed > 0)
        {
            changes.Notify("webhooks");
        }
    }

    private async Task<int> ProcessInOneTransactionAsync(IReadOnlyList<long> rowIds, CancellationToken cancellationToken)
    {
        var processed = 0;
        await using var unit = await connections.BeginAsync(cancellationToken);
        foreach (var id in rowIds)
        {
            var delivery = await deliveries.ClaimAsync(unit, id, cancellationToken);
            if (delivery is null)
            {
                continue; // processed already, or claimed by another instance
            }

            string status;
            string? reason;
            string? repo = null;
            try
            {
                using var document = JsonDocument.Parse(delivery.Body);
                var parsed = WebhookDispatcher.Parse(delivery.Receiver, delivery.Event, document.RootElement, delivery.DeliveryId);
                repo = parsed.RepoSlug;
                reason = await applier.ApplyAsync(unit, parsed.Effect, cancellationToken);
                status = DeliveryStore.Processed;
            }
            catch (Exception ex) when (ex is JsonException or PayloadShapeException)
            {
                // Receivers validate before storing, so only rows written by other means end here: never retried.
                status = DeliveryStore.Failed;
                reason = Describe(ex);
                WebhookLog.DeliveryFailed(logger, id, delivery.Receiver, delivery.Event, reason);
            }

            await deliveries.CompleteAsync(unit, id, status, reason, repo, time.GetUtcNow(), cancellationToken);
            processed++;
        }

        await unit.CommitAsync(cancellationToken);
        return processed;
    }

    private static string Describe(Exception ex) => ex switch
    {
        JsonException => "body is not valid JSON",
        PayloadShapeException shape => shape.Message,
        _ => $"processing failed: {ex.GetType().Name}",
    };
}
