using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Webhooks;
using Attribution.Webhooks;

namespace Attribution.Tests.Reliability;

/// <summary>The delivery queue is bounded in bytes as well as in count, so large bodies cannot pile up in memory.</summary>
public sealed class QueueBudgetTests
{
    [Fact]
    public async Task QueuedBodiesOverTheByteBudget_AnswerOverloaded()
    {
        await using var database = await TestDatabase.CreateAsync(TestProviders.Sqlite);
        var time = TimeProvider.System;
        using var writer = UnstartedWriter.Create(database);
        var parsed = new ParsedDelivery(null, null, new NoEffect("ping"));
        var body = new byte[20 * 1024 * 1024];
        NewDelivery Delivery(string id) => new("github", id, "ping", null, null, body, "x", time.GetUtcNow());

        var first = writer.StoreAsync(Delivery("big-0"), parsed, CancellationToken.None);
        var second = writer.StoreAsync(Delivery("big-1"), parsed, CancellationToken.None);
        var third = writer.StoreAsync(Delivery("big-2"), parsed, CancellationToken.None);
        var overflow = await writer.StoreAsync(Delivery("big-3"), parsed, CancellationToken.None);

        overflow.Outcome.Should().Be(StoreOutcome.Overloaded, "60 MiB are queued and 20 more would pass the 64 MiB budget");
        new[] { first, second, third }.Should().OnlyContain(t => !t.IsCompleted, "the first three wait for their COMMIT");
    }
}
