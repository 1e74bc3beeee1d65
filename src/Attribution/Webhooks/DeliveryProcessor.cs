using Attribution.Common;
using System.Text.Json;
using Attribution.Hosting;
using Attribution.Store;
using Microsoft.Extensions.Options;

namespace Attribution.Webhooks;

/// <summary>
/// The inbox: applies stored deliveries. The <see cref="DeliveryWriter"/> hands each stored batch over with the effects
/// the receivers already parsed (<see cref="ProcessStoredAsync"/>). In the background this service replays every
/// pending row on start (a crash between storing and processing loses nothing) and after an outage, and sweeps
/// periodically for rows left pending (by another instance, or by a failed hand-over). Each row is claimed
/// atomically, its effects and its new status commit together, so two instances never apply one delivery twice.
/// An applied delivery's body is dropped in that transaction unless <see cref="WebhookOptions.KeepBodies"/>; a failed
/// one keeps it.
/// </summary>
public sealed class DeliveryProcessor(
    DeliveryStore deliveries,
    WebhookEffectApplier applier,
    IDbConnectionFactory connections,
    IOptionsMonitor<WebhookOptions> options,
    WebhookWriteGate gate,
    ChangeSignal changes,
    TimeProvider time,
    ILogger<DeliveryProcessor> logger) : BackgroundService
{
    public const int MaxAttempts = 5;
    // Batches bound how long the processor holds SQLite's write lock while receivers wait to store.
    private const int BatchSize = 32;
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    // A pending row younger than this is most likely being handed over by the writer with its parsed effect: the
    // periodic sweep leaves it alone instead of reading its body back and parsing it again.
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    // 1 while a sweep of every pending row is wanted (start, outage, failed hand-over); taken atomically by the sweep.
    private int _sweepAll = 1;

    /// <summary>Applies deliveries the writer has just stored, with the effects parsed on receipt (no body read back).</summary>
    public Task ProcessStoredAsync(IReadOnlyList<(long RowId, ParsedDelivery Parsed)> rows, CancellationToken cancellationToken) =>
        ProcessAsync(rows.Select(r => new StoredRow(r.RowId, r.Parsed)).ToList(), cancellationToken);

    /// <summary>Asks the background sweep to take every pending row on its next pass (a hand-over failed).</summary>
    public void RequestFullSweep() => Volatile.Write(ref _sweepAll, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var firstSweep = true;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    // The first sweep replays whatever a previous run left pending (crash between storing and
                    // processing); after an outage or a failed hand-over the sweep takes every pending row too.
                    var all = Interlocked.Exchange(ref _sweepAll, 0) == 1;
                    var swept = await SweepAsync(all ? null : time.GetUtcNow() - StaleAfter, stoppingToken);
                    if (firstSweep && swept > 0)
                    {
                        WebhookLog.Replayed(logger, swept);
                    }

                    firstSweep = false;
                    await WaitForNextSweepAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The database is unavailable: the rows stay pending; sweep again once it answers.
                    WebhookLog.InboxUnavailable(logger, ex);
                    RequestFullSweep();
                    await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; pending rows are replayed on the next start.
        }
    }

    /// <summary>Waits a sweep interval, or less once a full sweep is requested.</summary>
    private async Task WaitForNextSweepAsync(CancellationToken cancellationToken)
    {
        var due = time.GetUtcNow() + SweepInterval;
        while (Volatile.Read(ref _sweepAll) == 0 && time.GetUtcNow() < due)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
        }
    }

    /// <summary>
    /// Processes every pending row (received before <paramref name="receivedBefore"/> when given) once, oldest first;
    /// returns how many rows were looked at.
    /// </summary>
    public async Task<int> SweepAsync(DateTimeOffset? receivedBefore, CancellationToken cancellationToken)
    {
        var total = 0;
        var after = 0L;
        while (true)
        {
            var ids = await deliveries.ListPendingIdsAsync(after, BatchSize, receivedBefore, cancellationToken);
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
        ProcessAsync(rowIds.Select(id => new StoredRow(id, null)).ToList(), cancellationToken);

    /// <summary>Processes rows in one transaction; if that fails, one by one so one bad row cannot hold back the others.</summary>
    private async Task ProcessAsync(IReadOnlyList<StoredRow> rows, CancellationToken cancellationToken)
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

    private async Task<int> ProcessInOneTransactionAsync(IReadOnlyList<StoredRow> rows, CancellationToken cancellationToken)
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
            if (status == DeliveryStore.Processed && !options.CurrentValue.KeepBodies)
            {
                await DeliveryStore.DropBodyAsync(unit, id, cancellationToken);
            }

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
        StoreErrors.IsBadData(ex) ? 1 : MaxAttempts;

    private static ParsedDelivery Parse(ClaimedDelivery delivery)
    {
        using var document = JsonDocument.Parse(delivery.Body);
        return WebhookDispatcher.Parse(delivery.Receiver, delivery.Event, document.RootElement, delivery.DeliveryId);
    }

    private sealed record StoredRow(long RowId, ParsedDelivery? Parsed);

    private static string Describe(Exception ex) => ex switch
    {
        JsonException => "body is not valid JSON",
        PayloadShapeException shape => shape.Message,
        _ => $"processing failed: {ex.GetType().Name}",
    };
}
