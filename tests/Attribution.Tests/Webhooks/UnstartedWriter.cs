using Attribution.Hosting;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Attribution.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using Attribution.Common;

namespace Attribution.Tests.Webhooks;

/// <summary>A delivery writer wired to a test database but not started: nothing drains its queue, as when the database stalls.</summary>
public static class UnstartedWriter
{
    public static DeliveryWriter Create(TestDatabase database, WebhookOptions? options = null)
    {
        var settings = new FixedOptions<WebhookOptions>(options ?? new WebhookOptions());
        var connections = database.Connections;
        var time = TimeProvider.System;
        var applier = new WebhookEffectApplier(new PrStore(connections, time), new CommitStore(connections, time), new CiRunStore(connections, time), new FeedbackStore(connections, time));
        var gate = new WebhookWriteGate(connections);
        var changes = new ChangeSignal();
        var store = new DeliveryStore(connections);
        var inbox = new DeliveryProcessor(store, applier, connections, settings, gate, changes, time, NullLogger<DeliveryProcessor>.Instance);
        return new DeliveryWriter(store, applier, inbox, connections, settings, gate, changes, time, NullLogger<DeliveryWriter>.Instance);
    }
}
