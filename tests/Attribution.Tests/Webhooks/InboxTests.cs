using Attribution.Hosting;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Attribution.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using Attribution.Common;

namespace Attribution.Tests.Webhooks;

public sealed class InboxTests
{
    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PendingDeliveryStoredBeforeStart_IsProcessedWhenTheHostStarts(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var repo = Payloads.UniqueRepo();
        var body = Payloads.GitHub("github/pull_request.opened.json", repo);
        var db = new WebhookDb(database.Connections);
        await new DeliveryStore(database.Connections).InsertBatchAsync(
            [new NewDelivery("github", "crashed-before-processing", "pull_request", "opened", repo, body, "x", DateTimeOffset.UtcNow)], CancellationToken.None);

        await using (var host = AttributionApp.Over(database, SignedWebhookClient.AllSecrets))
        {
            _ = host.Server;
            var delivery = await db.ProcessedAsync("github", "crashed-before-processing");

            delivery.Status.Should().Be("processed");
            delivery.Attempts.Should().Be(1);
        }

        var pr = await new PrStore(database.Connections, TimeProvider.System).GetAsync("github", repo, 2, CancellationToken.None);
        pr!.State.Should().Be("open");
        pr.HeadSha.Should().Be("ec26c3e57ca3a959ca5aad62de7213c562f8c821");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task TwoInstancesProcessingOneRow_ApplyItOnce(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var repo = Payloads.UniqueRepo();
        var store = new DeliveryStore(database.Connections);
        var body = Payloads.GitHub("github/pull_request_review_comment.created.json", repo);
        var ids = await store.InsertBatchAsync([new NewDelivery("github", "d-1", "pull_request_review_comment", "created", repo, body, "x", DateTimeOffset.UtcNow)], CancellationToken.None);
        var first = Processor(database);
        var second = Processor(database);

        await Task.WhenAll(
            Task.Run(() => first.ProcessAsync([ids[0]!.Value], CancellationToken.None)),
            Task.Run(() => second.ProcessAsync([ids[0]!.Value], CancellationToken.None)));

        var db = new WebhookDb(database.Connections);
        var delivery = await db.ProcessedAsync("github", "d-1");
        delivery.Attempts.Should().Be(1, "only one instance claimed the row");
        delivery.Reason.Should().BeNull("the second application would have said 'already recorded'");
        (await db.CountAsync("SELECT count(*) FROM pr_feedback")).Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task StoredBodyThatIsNotJson_IsMarkedFailedNotRetried(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var store = new DeliveryStore(database.Connections);
        var ids = await store.InsertBatchAsync([new NewDelivery("github", "bad-1", "push", null, null, "nope"u8.ToArray(), "x", DateTimeOffset.UtcNow)], CancellationToken.None);

        await Processor(database).ProcessAsync([ids[0]!.Value], CancellationToken.None);

        var delivery = await new WebhookDb(database.Connections).ProcessedAsync("github", "bad-1");
        delivery.Status.Should().Be("failed");
        delivery.Reason.Should().Be("body is not valid JSON");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task BodiesOfStoredRows_AreDroppedWhenAppliedAndKeptWhenFailed(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var store = new DeliveryStore(database.Connections);
        var body = Payloads.GitHub("github/pull_request.opened.json", Payloads.UniqueRepo());
        var ids = await store.InsertBatchAsync(
        [
            new NewDelivery("github", "good-1", "pull_request", "opened", null, body, "x", DateTimeOffset.UtcNow),
            new NewDelivery("github", "bad-2", "push", null, null, "nope"u8.ToArray(), "y", DateTimeOffset.UtcNow),
        ], CancellationToken.None);
        var db = new WebhookDb(database.Connections);
        (await db.CountAsync("SELECT count(*) FROM webhook_delivery_bodies")).Should().Be(2, "a pending delivery keeps its body until it is applied");

        await Processor(database).ProcessAsync(ids.Select(id => id!.Value).ToList(), CancellationToken.None);

        (await db.ProcessedAsync("github", "good-1")).Status.Should().Be("processed");
        (await db.ProcessedAsync("github", "bad-2")).Status.Should().Be("failed");
        (await db.QueryAsync<long>("SELECT delivery_row_id FROM webhook_delivery_bodies")).Should().Equal([ids[1]!.Value], "only the failed delivery keeps its body");
        (await db.SingleAsync<byte[]>("SELECT body FROM webhook_delivery_bodies")).Should().Equal("nope"u8.ToArray());
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task KeepBodies_AppliedStoredRowKeepsItsBody(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var store = new DeliveryStore(database.Connections);
        var body = Payloads.GitHub("github/pull_request.opened.json", Payloads.UniqueRepo());
        var ids = await store.InsertBatchAsync([new NewDelivery("github", "kept-1", "pull_request", "opened", null, body, "x", DateTimeOffset.UtcNow)], CancellationToken.None);

        await Processor(database, new WebhookOptions { KeepBodies = true }).ProcessAsync([ids[0]!.Value], CancellationToken.None);

        var db = new WebhookDb(database.Connections);
        (await db.ProcessedAsync("github", "kept-1")).Status.Should().Be("processed");
        (await db.SingleAsync<byte[]>("SELECT body FROM webhook_delivery_bodies WHERE delivery_row_id = @Id", new { Id = ids[0] })).Should().Equal(body);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task KeepBodies_DeliveryAppliedOnReceipt_KeepsItsBodyByteForByte(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var settings = SignedWebhookClient.AllSecrets;
        settings["Attribution:Webhooks:KeepBodies"] = "true";
        var body = Payloads.GitHub("github/pull_request.opened.json", Payloads.UniqueRepo());
        var id = Guid.NewGuid().ToString();
        await using var host = AttributionApp.Over(database, settings);
        var client = new SignedWebhookClient(host.CreateClient());

        using var response = await client.GitHubAsync("pull_request", body, id);

        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Accepted);
        var db = new WebhookDb(database.Connections);
        var delivery = await db.ProcessedAsync("github", id);
        (await db.SingleAsync<byte[]>("SELECT body FROM webhook_delivery_bodies WHERE delivery_row_id = @Id", new { delivery.Id })).Should().Equal(body);
        (await db.SingleAsync<string>("SELECT body_sha256 FROM webhook_deliveries WHERE id = @Id", new { delivery.Id }))
            .Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ListRecent_ReturnsNewestFirstWithStatus(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var store = new DeliveryStore(database.Connections);
        var repo = Payloads.UniqueRepo();
        var ids = await store.InsertBatchAsync(
        [
            new NewDelivery("github", "r-1", "ping", null, repo, Payloads.Raw("github/ping.json"), "x", DateTimeOffset.UtcNow),
            new NewDelivery("gitlab", "r-2", "Push Hook", null, repo, Payloads.Raw("gitlab/push.branch.json"), "y", DateTimeOffset.UtcNow),
            new NewDelivery("gitlab", "r-2", "Push Hook", null, repo, Payloads.Raw("gitlab/push.branch.json"), "y", DateTimeOffset.UtcNow),
        ], CancellationToken.None);
        await Processor(database).ProcessAsync([ids[0]!.Value], CancellationToken.None);

        var recent = await store.ListRecentAsync(10, CancellationToken.None);

        ids[2].Should().BeNull("the same delivery id in one batch is a duplicate");
        recent.Select(r => (r.Receiver, r.DeliveryId, r.Status)).Should().Equal(("gitlab", "r-2", "pending"), ("github", "r-1", "processed"));
        recent[1].Reason.Should().Be("ping");
        recent[1].ProcessedTs.Should().NotBeNull();
        recent[0].RepoSlug.Should().Be(repo);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Sweep_WithAgeLimit_TakesOnlyRowsReceivedBeforeIt(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var store = new DeliveryStore(database.Connections);
        var now = DateTimeOffset.UtcNow;
        var body = Payloads.GitHub("github/pull_request.opened.json", Payloads.UniqueRepo());
        await store.InsertBatchAsync(
        [
            new NewDelivery("github", "stale-1", "pull_request", "opened", null, body, "x", now.AddMinutes(-5)),
            new NewDelivery("github", "fresh-1", "pull_request", "opened", null, body, "x", now),
        ], CancellationToken.None);

        var swept = await Processor(database).SweepAsync(now.AddSeconds(-10), CancellationToken.None);

        swept.Should().Be(1);
        var db = new WebhookDb(database.Connections);
        (await db.SingleAsync<string>("SELECT status FROM webhook_deliveries WHERE delivery_id = 'stale-1'")).Should().Be("processed");
        (await db.SingleAsync<string>("SELECT status FROM webhook_deliveries WHERE delivery_id = 'fresh-1'")).Should().Be("pending");
    }

    private static DeliveryProcessor Processor(TestDatabase database, WebhookOptions? options = null)
    {
        var connections = database.Connections;
        var time = TimeProvider.System;
        var applier = new WebhookEffectApplier(new PrStore(connections, time), new CommitStore(connections, time), new CiRunStore(connections, time), new FeedbackStore(connections, time));
        return new DeliveryProcessor(new DeliveryStore(connections), applier, connections, new FixedOptions<WebhookOptions>(options ?? new WebhookOptions()), new WebhookWriteGate(connections), new ChangeSignal(), time, NullLogger<DeliveryProcessor>.Instance);
    }
}
