using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Attribution.Common;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Webhooks;

namespace Attribution.Tests.Reliability;

/// <summary>
/// Duplicate storms: N different deliveries, each sent K times concurrently and interleaved, give exactly one
/// delivery row and one effect each, on both receivers that write outcomes (GitHub, GitLab) and the CI receiver.
/// </summary>
public sealed class DuplicateStormTests
{
    private const int Distinct = 12;
    private const int Copies = 8;

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task EachDeliverySentManyTimesAtOnce_IsStoredAndAppliedOnce(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider, SignedWebhookClient.AllSecrets);
        var client = new SignedWebhookClient(app.CreateClient());
        var db = new ReliabilityDb(app.Database.Connections);
        var storm = StormDeliveries.Build(Distinct);

        var answers = await StormDeliveries.SendAsync(storm, Copies, (delivery, copy) => WebhookSender.SendAsync(client, delivery.Seed, delivery.Body, delivery.Id));

        answers.Should().OnlyContain(a => a.Code == 202 || a.Code == 200, "every copy is accepted or recognised as a duplicate");
        foreach (var delivery in storm)
        {
            answers.Count(a => a.Id == delivery.Id && a.Code == 202).Should().Be(1, $"{delivery.Id} is accepted exactly once");
        }

        (await db.DrainAsync(TimeSpan.FromSeconds(30))).Should().Be(0);
        await StormDeliveries.AssertExactlyOnceAsync(db, storm);
    }
}

/// <summary>One delivery of a storm and what it must produce.</summary>
public sealed record StormDelivery(WebhookSeed Seed, byte[] Body, string Id, string Repo, string Table, string ExpectedState);

/// <summary>Builds, sends and checks duplicate storms (shared by the in-process and the two-instance runs).</summary>
public static class StormDeliveries
{
    /// <summary>Per index: a GitHub PR, a GitHub workflow run, a GitLab MR and a GitLab pipeline, all in fresh repositories.</summary>
    public static List<StormDelivery> Build(int distinct)
    {
        var github = "storm-" + Guid.NewGuid().ToString("N")[..10] + "/gh";
        var gitlab = "storm-" + Guid.NewGuid().ToString("N")[..10] + "/gl";
        var runBase = 8_000_000_000_000 + Random.Shared.NextInt64(1_000_000_000);
        var deliveries = new List<StormDelivery>();
        for (var i = 0; i < distinct; i++)
        {
            var number = 100 + i;
            var pr = Payloads.GitHub("github/pull_request.opened.json", github, n => n["pull_request"]!["number"] = number);
            deliveries.Add(new StormDelivery(new WebhookSeed("github", "pull_request", "pr", pr), pr, Guid.NewGuid().ToString(), github, "pr_outcomes", "open"));
            var run = Payloads.GitHub("github/workflow_run.completed.json", github, n => n["workflow_run"]!["id"] = runBase + i);
            deliveries.Add(new StormDelivery(new WebhookSeed("github", "workflow_run", "run", run), run, Guid.NewGuid().ToString(), github, "ci_runs", "success"));
            var mr = Payloads.GitLab("gitlab/merge_request.merge.json", gitlab, n => n["object_attributes"]!["iid"] = number);
            deliveries.Add(new StormDelivery(new WebhookSeed("gitlab", "Merge Request Hook", "mr", mr), mr, Guid.NewGuid().ToString(), gitlab, "pr_outcomes", "merged"));
            var pipeline = Payloads.GitLab("gitlab/pipeline.success.json", gitlab, n => n["object_attributes"]!["id"] = runBase + i);
            deliveries.Add(new StormDelivery(new WebhookSeed("gitlab", "Pipeline Hook", "pipeline", pipeline), pipeline, Guid.NewGuid().ToString(), gitlab, "ci_runs", "success"));
        }

        return deliveries;
    }

    /// <summary>Sends every delivery <paramref name="copies"/> times, all copies shuffled together and in flight at once.</summary>
    public static async Task<List<(string Id, int Code)>> SendAsync(IReadOnlyList<StormDelivery> storm, int copies, Func<StormDelivery, int, Task<HttpResponseMessage>> send)
    {
        var random = new Random(FuzzSettings.Seed);
        var sends = storm.SelectMany(d => Enumerable.Range(0, copies).Select(c => (Delivery: d, Copy: c))).OrderBy(_ => random.Next()).ToList();
        var answers = new ConcurrentBag<(string, int)>();
        using var start = new SemaphoreSlim(0);
        var tasks = sends.Select(async s =>
        {
            await start.WaitAsync();
            using var response = await send(s.Delivery, s.Copy);
            answers.Add((s.Delivery.Id, (int)response.StatusCode));
        }).ToList();
        start.Release(sends.Count);
        await Task.WhenAll(tasks);
        return [.. answers];
    }

    /// <summary>One delivery row per delivery, all processed, and exactly one outcome / run row each with the expected state.</summary>
    public static async Task AssertExactlyOnceAsync(ReliabilityDb db, IReadOnlyList<StormDelivery> storm)
    {
        var ids = storm.Select(d => d.Id).ToList();
        var rows = await db.QueryAsync<DeliveryState>($"SELECT receiver, delivery_id, status FROM webhook_deliveries WHERE delivery_id IN ({ReliabilityDb.InList(ids.Count)})", ReliabilityDb.InParameters(ids));
        rows.Select(r => r.DeliveryId).Should().BeEquivalentTo(ids, "one row per delivery");
        rows.Should().OnlyContain(r => r.Status == DeliveryStore.Processed);

        foreach (var group in storm.GroupBy(d => (d.Repo, d.Table)))
        {
            var stateColumn = group.Key.Table == "pr_outcomes" ? "state" : "status";
            var states = await db.QueryAsync<string>($"SELECT {stateColumn} FROM {group.Key.Table} WHERE repo_slug = @Repo", new { Repo = RepoSlug.Normalize(group.Key.Repo) });
            states.Should().HaveCount(group.Count(), $"one {group.Key.Table} row per delivery of {group.Key.Repo}");
            states.Should().OnlyContain(s => s == group.First().ExpectedState);
        }
    }
}
