using System.Threading.Channels;
using Attribution.Hosting;
using Attribution.Store;
using Microsoft.Extensions.Options;
using Attribution.Common;

namespace Attribution.Webhooks;

/// <summary>What happened to a delivery handed to the <see cref="DeliveryWriter"/>.</summary>
public enum StoreOutcome
{
    Stored,
    Duplicate,
    Overloaded,
}

/// <summary>
/// Group commit of incoming deliveries: requests enqueue into a bounded channel and wait; one writer takes whatever
/// has queued up and, in one transaction, inserts it as processed and applies each new delivery's effect (parsed by
/// the receiver), then completes every waiting request after COMMIT. Those bodies are written only when
/// <see cref="WebhookOptions.KeepBodies"/> says so: nothing reads an applied delivery's body again. If anything in
/// that transaction fails, the batch is stored alone as <c>pending</c> rows and the inbox (<see cref="DeliveryProcessor"/>) applies
/// them one by one, so one bad effect can neither lose a delivery nor hold back the others. A full queue answers
/// <see cref="StoreOutcome.Overloaded"/> at once (the endpoint says 503 + Retry-After) instead of growing.
/// </summary>
public sealed class DeliveryWriter(
    DeliveryStore store,
    WebhookEffectApplier applier,
    DeliveryProcessor inbox,
    IDbConnectionFactory connections,
    IOptionsMonitor<WebhookOptions> options,
    WebhookWriteGate gate,
    ChangeSignal changes,
    TimeProvider time,
    ILogger<DeliveryWriter> logger) : BackgroundService
{
    public const int QueueCapacity = 4096;
    public const int MaxBatch = 256;

    /// <summary>
    /// Bytes of bodies that may wait in the queue. The count alone does not bound memory: 4096 bodies of up to
    /// 25 MiB each would be 100 GiB. A delivery arriving at an empty queue is always taken, whatever its size.
    /// </summary>
    public const long MaxQueuedBytes = 64L * 1024 * 1024;

    private long _queuedBytes;

    private readonly Channel<Item> _queue = Channel.CreateBounded<Item>(new BoundedChannelOptions(QueueCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>Stores a delivery durably; completes after its transaction committed. Returns the row id when stored.</summary>
    public async Task<(StoreOutcome Outcome, long? RowId)> StoreAsync(NewDelivery delivery, ParsedDelivery parsed, CancellationToken cancellationToken)
    {
        var item = new Item(delivery, parsed, new TaskCompletionSource<long?>(TaskCreationOptions.RunContinuationsAsynchronously));
        long size = delivery.Body.Length;
        var queued = Interlocked.Add(ref _queuedBytes, size);
        if ((queued > MaxQueuedBytes && queued != size) || !_queue.Writer.TryWrite(item))
        {
            Interlocked.Add(ref _queuedBytes, -size);
            return (StoreOutcome.Overloaded, null);
        }

        // An abandoned request does not cancel the write: it is answered only once the outcome is known.
        _ = cancellationToken;
        try
        {
            var id = await item.Completion.Task;
            return id is null ? (StoreOutcome.Duplicate, null) : (StoreOutcome.Stored, id);
        }
        finally
        {
            Interlocked.Add(ref _queuedBytes, -size);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Item>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await WriteQueuedAsync(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: store what is already queued so no waiting request is left hanging.
            _queue.Writer.TryComplete();
            await WriteQueuedAsync(batch);
        }
    }

    private async Task WriteQueuedAsync(List<Item> batch)
    {
        while (true)
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            if (batch.Count == 0)
            {
                return;
            }

            try
            {
                // Not cancelled by shutdown: a started batch finishes so its requests get a true answer.
                IReadOnlyList<long?> ids;
                bool applied;
                using (await gate.EnterAsync(urgent: true, CancellationToken.None))
                {
                    (ids, applied) = await StoreAsync(batch);
                }

                var stored = new List<(long RowId, ParsedDelivery Parsed)>(batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(ids[i]);
                    if (ids[i] is { } id)
                    {
                        stored.Add((id, batch[i].Parsed));
                    }
                }

                if (applied)
                {
                    if (stored.Count > 0)
                    {
                        changes.Notify("webhooks");
                    }
                }
                else
                {
                    await ApplyAsync(stored);
                }
            }
#pragma warning disable CA1031 // every waiting request must be released, whatever the store threw
            catch (Exception ex)
#pragma warning restore CA1031
            {
                WebhookLog.StoreFailed(logger, batch.Count, ex);
                foreach (var item in batch)
                {
                    item.Completion.TrySetException(ex);
                }
            }
        }
    }

    /// <summary>Stores the batch with its effects applied (true), or, when that fails, stores it alone (false).</summary>
    private async Task<(IReadOnlyList<long?> Ids, bool Applied)> StoreAsync(List<Item> batch)
    {
        var deliveries = batch.Select(i => i.Delivery).ToList();
        try
        {
            await using var unit = await connections.BeginAsync(CancellationToken.None);
            var now = time.GetUtcNow();
            var ids = await DeliveryStore.InsertBatchAsync(unit, deliveries, withBodies: options.CurrentValue.KeepBodies, appliedAt: now, CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                if (ids[i] is { } id && await applier.ApplyAsync(unit, batch[i].Parsed.Effect, CancellationToken.None) is { } reason)
                {
                    await store.CompleteAsync(unit, id, DeliveryStore.Processed, reason, repoSlug: null, now, CancellationToken.None);
                }
            }

            await unit.CommitAsync(CancellationToken.None);
            return (ids, true);
        }
#pragma warning disable CA1031 // whatever failed was rolled back; storing alone decides what the requests are told
        catch (Exception ex)
#pragma warning restore CA1031
        {
            WebhookLog.AppliedWithStoreFailed(logger, batch.Count, ex);
            return (await store.InsertBatchAsync(deliveries, CancellationToken.None), false);
        }
    }

    /// <summary>Applies stored rows through the inbox (row by row when needed); on failure the inbox's sweep takes them.</summary>
    private async Task ApplyAsync(IReadOnlyList<(long RowId, ParsedDelivery Parsed)> stored)
    {
        if (stored.Count == 0)
        {
            return;
        }

        try
        {
            await inbox.ProcessStoredAsync(stored, CancellationToken.None);
        }
#pragma warning disable CA1031 // the rows are stored and stay pending: the inbox's sweep applies them later
        catch (Exception ex)
#pragma warning restore CA1031
        {
            WebhookLog.InboxUnavailable(logger, ex);
            inbox.RequestFullSweep();
        }
    }

    private sealed record Item(NewDelivery Delivery, ParsedDelivery Parsed, TaskCompletionSource<long?> Completion);
}
