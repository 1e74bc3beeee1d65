using Attribution.Store;

namespace Attribution.Webhooks;

/// <summary>
/// Replays a failed delivery whose body was kept: back to pending, then processed now by the inbox (one attempt; the
/// background sweep retries as for any pending row). Used by <c>POST /api/deliveries/{id}/replay</c> and the
/// deliveries page, both behind the API key when one is set.
/// </summary>
public sealed class DeliveryReplay(DeliveryStore deliveries, DeliveryProcessor processor)
{
    /// <summary>Null when replayed (whatever the outcome of processing), else why it cannot be: unknown, not failed, no body.</summary>
    public async Task<string?> ReplayAsync(long id, CancellationToken cancellationToken)
    {
        var refused = await deliveries.RequeueFailedAsync(id, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        await processor.ProcessAsync([id], cancellationToken);
        return null;
    }
}
