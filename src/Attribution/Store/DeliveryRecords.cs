namespace Attribution.Store;

/// <summary>A delivery as received, before it is stored: the raw body and what the receiver read from its headers.</summary>
public sealed record NewDelivery(string Receiver, string DeliveryId, string Event, string? Action, string? RepoSlug, byte[] Body, string? BodySha256, DateTimeOffset ReceivedTs);

/// <summary>A stored delivery claimed for processing.</summary>
public sealed record ClaimedDelivery(long Id, string Receiver, string DeliveryId, string Event, string? Action, string? RepoSlug, byte[] Body, long Attempts);

/// <summary>One row of the delivery log, for the /deliveries page.</summary>
public sealed record DeliverySummary(
    long Id, string Receiver, string DeliveryId, string Event, string? Action, string? RepoSlug, string Status, string? Reason,
    DateTimeOffset ReceivedTs, DateTimeOffset? ProcessedTs, long Attempts);
