namespace Attribution.Webhooks;

/// <summary>Webhook log lines. Never bodies, secrets or signatures: ids, events and outcomes only.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Webhook receiver {Receiver} is not configured: its secret is unset; deliveries are refused with 503")]
    public static partial void ReceiverUnconfigured(ILogger logger, string receiver);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Webhook {Receiver} delivery refused: authentication {Result}")]
    public static partial void Rejected(ILogger logger, string receiver, WebhookSignatureResult result);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Webhook {Receiver} delivery {DeliveryId} accepted: {Event} {Action}")]
    public static partial void Accepted(ILogger logger, string receiver, string deliveryId, string @event, string? action);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Webhook {Receiver} delivery {DeliveryId} is a duplicate")]
    public static partial void Duplicate(ILogger logger, string receiver, string deliveryId);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Webhook {Receiver} delivery refused: {Problem}")]
    public static partial void BadRequest(ILogger logger, string receiver, string problem);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Webhook {Receiver} delivery refused: body over {Limit} bytes")]
    public static partial void TooLarge(ILogger logger, string receiver, long limit);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "Webhook {Receiver} delivery refused: the store queue is full")]
    public static partial void Overloaded(ILogger logger, string receiver);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Error, Message = "Storing {Count} webhook deliveries failed")]
    public static partial void StoreFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "Applying {Count} webhook deliveries with their storage failed; storing them alone for the inbox")]
    public static partial void AppliedWithStoreFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "Processing webhook delivery row {RowId} failed (attempt {Attempt})")]
    public static partial void ProcessFailed(ILogger logger, long rowId, long attempt, Exception exception);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Webhook inbox: {Count} pending deliveries replayed on start")]
    public static partial void Replayed(ILogger logger, int count);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Error, Message = "Webhook inbox cannot reach the database; pending deliveries wait")]
    public static partial void InboxUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Webhook delivery row {RowId} ({Receiver} {Event}) failed: {Reason}")]
    public static partial void DeliveryFailed(ILogger logger, long rowId, string receiver, string @event, string reason);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Warning, Message = "Webhook {Receiver} delivery refused: bodies in flight would pass {Budget} bytes (503, Retry-After)")]
    public static partial void BodiesOverBudget(ILogger logger, string receiver, long budget);

    [LoggerMessage(EventId = 4015, Level = LogLevel.Warning, Message = "Webhook {Receiver} delivery: the body ended before it was complete (client gone)")]
    public static partial void Aborted(ILogger logger, string receiver);
}
