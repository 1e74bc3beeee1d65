using Attribution.Store;

namespace Attribution.Webhooks;

/// <summary>
/// The webhook deliveries as the <c>/deliveries</c> page and the replay answer read them (what became of each, never
/// the body): surfaces read them here, not from the store (docs/architecture.md).
/// </summary>
public sealed class DeliveryLog(DeliveryStore store)
{
    /// <summary>Every status a delivery can be in, in the order it moves through them.</summary>
    public static IReadOnlyList<string> Statuses { get; } = [DeliveryStore.Pending, DeliveryStore.Processing, DeliveryStore.Processed, DeliveryStore.Failed];

    /// <summary>Deliveries matching every filter given, newest first, from <paramref name="offset"/>.</summary>
    public Task<IReadOnlyList<DeliveryRow>> ListAsync(string? receiver, string? eventName, string? status, string? repo, int offset, int limit, CancellationToken cancellationToken) =>
        store.ListDeliveriesAsync(receiver, eventName, status, repo, offset, limit, cancellationToken);

    /// <summary>The delivery stored under row id <paramref name="id"/>, or null.</summary>
    public Task<DeliveryRow?> FindAsync(long id, CancellationToken cancellationToken) => store.GetDeliveryAsync(id, cancellationToken);
}
