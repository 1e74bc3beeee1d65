using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Attribution.Webhooks;

namespace Attribution.Tests.Webhooks;

public sealed class DeliveryWriterTests
{
    [Fact]
    public async Task FullQueue_AnswersOverloadedAtOnce()
    {
        await using var database = await TestDatabase.CreateAsync(TestProviders.Sqlite);
        var time = TimeProvider.System;
        using var writer = UnstartedWriter.Create(database);
        var parsed = new ParsedDelivery(null, null, new NoEffect("ping"));
        var waiting = Enumerable.Range(0, DeliveryWriter.QueueCapacity)
            .Select(i => writer.StoreAsync(new NewDelivery("github", $"q-{i}", "ping", null, null, [], "x", time.GetUtcNow()), parsed, CancellationToken.None))
            .ToList();

        var overflow = await writer.StoreAsync(new NewDelivery("github", "one-too-many", "ping", null, null, [], "x", time.GetUtcNow()), parsed, CancellationToken.None);

        overflow.Outcome.Should().Be(StoreOutcome.Overloaded);
        waiting.Should().OnlyContain(t => !t.IsCompleted, "queued deliveries wait for their COMMIT");
    }
}
