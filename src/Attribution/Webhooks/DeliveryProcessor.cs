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
    WebhookWriteGate gate,
    ChangeSignal changes,
    TimeProvider time,
    ILogger<DeliveryProcessor> logger) : BackgroundService
{
    public const int MaxAttempts = 5;
    // Small batches bound how long the processor holds SQLite's write lock while receivers wait to store.
    private const int BatchSize = 8;
    private const int ParsedInMemory = 512;
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly Channel<Announcement> _announced = Channel.CreateBounded<Announcement>(new BoundedChannelOptions(65536)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    /// <summary>
    /// Announces a newly stored delivery with the effect the receiver already parsed from its body (so it is not
    /// parsed twice). If the queue is full the periodic sweep picks the row up and parses the stored body.
    /// </summary>
    public void Announce(long rowId, ParsedDelivery? parsed = null) =>
        // Beyond a backlog of ParsedInMemory rows only the id is queued: memory stays bounded and the body is read back.
        _announced.Writer.TryWrite(new Announcement(rowId, _announced.Reader.Count < ParsedInMemory ? parsed : null));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first sweep replays whatever a previous run left pending (crash between storing and processing).
        var sweepDue = true;
        var firstSweep = true;
        var lastSweep = time.GetUtcNow();
        var batch = new List<Announcement>(BatchSize);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (sweepDue || time.GetUtcNow() - lastSweep >= SweepInterval)
                    {
                        var swept = await SweepAsync(stoppingToken);
                        if (firstSweep && swept > 0)
                        {
                            WebhookLog.Replayed(logger, swept);
                        }

                        firstSweep = false;
                        sweepDue = false;
                        lastSweep = time.GetUtcNow();
                    }

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
                    while (batch.Count < BatchSize && _announced.Reader.TryRead(out var announcement))
                    {
                        batch.Add(announcement);
                    }

                    if (batch.Count > 0)
                    {
                        await ProcessAsync(batch, stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The database is unavailable: the rows stay pending; sweep again once it answers.
                    WebhookLog.InboxUnavailable(logger, ex);
                    sweepDue = true;
                    await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
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

    /// <summary>Processes stored rows by id (their bodies are parsed from the store).</summary>
    public Task ProcessAsync(IReadOnlyList<long> rowIds, CancellationToken cancellationToken) =>
        ProcessAsync(rowIds.Select(id => new Announcement(id, null)).ToList(), cancellationToken);

    /// <summary>Processes rows in one transaction; if that fails, one by one so one bad row cannot hold back the others.</summary>
    private async Task ProcessAsync(IReadOnlyList<Announcement> rows, CancellationToken cancellationToken)
    {
        var ordered = rows.DistinctBy(r => r.RowId).OrderBy(r => r.RowId).ToList();
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
            WebhookLog.ProcessFailed(logger, ordered[0].RowId, 0, ex);
            await deliveries.RecordFailureAsync(ordered[0].RowId, Describe(ex), AttemptsFor(ex), time.GetUtcNow(), cancellationToken);
            return;
        }

        var processed = 0;
        foreach (var row in ordered)
        {
            try
            {
                processed += await ProcessInOneTransactionAsync([row], cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                WebhookLog.ProcessFailed(logger, row.RowId, 0, ex);
                await deliveries.RecordFailureAsync(row.RowId, Describe(ex), AttemptsFor(ex), time.GetUtcNow(), cancellationToken);
            }
        }

        if (processed > 0)
        {
            changes.Notify("webhooks");
        }
    }

    private async Task<int> ProcessInOneTransactionAsync(IReadOnlyList<Announcement> rows, CancellationToken cancellationToken)
    {
        var processed = 0;
        using var turn = await gate.EnterAsync(urgent: false, cancellationToken);
        await using var unit = await connections.BeginAsync(cancellationToken);
        foreach (var (id, known) in rows)
        {
            var delivery = await deliveries.ClaimAsync(unit, id, withBody: known is null, cancellationToken);
            if (delivery is null)
            {
                continue; // processed already, or claimed by another instance
            }

            string status;
            string? reason;
            string? repo = null;
            try
            {
                var parsed = known ?? Parse(delivery);
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

    /// <summary>
    /// A data exception (SQLSTATE class 22, e.g. a NUL character PostgreSQL text cannot hold) fails the same way
    /// every time: fail the row at once instead of retrying it sweep after sweep for minutes.
    /// </summary>
    private static int AttemptsFor(Exception ex) =>
        ex is System.Data.Common.DbException { SqlState: { } state } && state.StartsWith("22", StringComparison.Ordinal) ? 1 : MaxAttempts;

    private static ParsedDelivery Parse(ClaimedDelivery delivery)
    {
        using var document = JsonDocument.Parse(delivery.Body);
        return WebhookDispatcher.Parse(delivery.Receiver, delivery.Event, document.RootElement, delivery.DeliveryId);
    }

    private sealed record Announcement(long RowId, ParsedDelivery? Parsed);

    private static string Describe(Exception ex) => ex switch
    {
        JsonException => "body is not valid JSON",
        PayloadShapeException shape => shape.Message,
        _ => $"processing failed: {ex.GetType().Name}",
    };
}
