using System.Net;
using System.Text.Json;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Hosting;

namespace Attribution.Tests.Reports;

public sealed class SessionAttributionApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private async Task<(HttpClient Client, SeededGraph Graph, GraphSeeder Seed)> ArrangeAsync(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var seed = new GraphSeeder(app.Database.Connections);
        return (app.CreateClient(), await SeededGraph.SeedAsync(seed), seed);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Session_WithMergedPr_DescribesSessionTokensAndCommits(string provider)
    {
        var (client, graph, _) = await ArrangeAsync(provider);

        using var response = await client.GetAsync($"/api/attribution/session/{graph.AuthoredSession}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await JsonAsync(response);
        body.GetProperty("sessionId").GetString().Should().Be(graph.AuthoredSession);
        body.GetProperty("agent").GetString().Should().Be("claude-code");
        body.GetProperty("model").GetString().Should().Be("claude-opus-4-6");
        body.GetProperty("repo").GetString().Should().Be(graph.Repo);
        body.GetProperty("branch").GetString().Should().Be("feat/x");
        body.GetProperty("costUsd").GetDouble().Should().Be(0.42);
        var tokens = body.GetProperty("tokens");
        (tokens.GetProperty("input").GetInt64(), tokens.GetProperty("output").GetInt64(), tokens.GetProperty("cacheWrite").GetInt64(), tokens.GetProperty("cacheRead").GetInt64())
            .Should().Be((1200L, 340L, 50L, 9000L));
        var commit = body.GetProperty("commits").EnumerateArray().Single();
        commit.GetProperty("sha").GetString().Should().Be(graph.Sha);
        commit.GetProperty("subject").GetString().Should().Be("Add retry to the uploader");
        commit.GetProperty("linkType").GetString().Should().Be("authored");
        commit.GetProperty("confidence").GetDouble().Should().Be(1.0);
        body.GetProperty("feedback").GetArrayLength().Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Session_PrItem_CarriesCiStatusTouchesAndStillGood(string provider)
    {
        var (client, graph, _) = await ArrangeAsync(provider);

        using var response = await client.GetAsync($"/api/attribution/session/{graph.AuthoredSession}");

        var pr = (await JsonAsync(response)).GetProperty("pullRequests").EnumerateArray().Single();
        pr.GetProperty("provider").GetString().Should().Be("github");
        pr.GetProperty("number").GetInt32().Should().Be(42);
        pr.GetProperty("state").GetString().Should().Be("merged");
        pr.GetProperty("ciStatus").GetString().Should().Be("success");
        pr.GetProperty("downstreamTouchCount").GetInt32().Should().Be(3);
        pr.GetProperty("revertCount").GetInt32().Should().Be(1);
        pr.GetProperty("stillGood").ValueKind.Should().Be(JsonValueKind.Null, "the PR merged less than 14 days ago: too young to judge");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Session_Summary_NamesCommitsPrCiAndTouches(string provider)
    {
        var (client, graph, _) = await ArrangeAsync(provider);

        using var response = await client.GetAsync($"/api/attribution/session/{graph.AuthoredSession}");

        (await JsonAsync(response)).GetProperty("summary").GetString().Should().Be(
            $"this session produced commit {graph.Sha[..7]}; merged in PR #42 (Uploader retries); CI passed; touched 3 times since (1 revert); too young to judge (14 days)");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Session_MergeCommitCiFailed_ReportsFailure(string provider)
    {
        var (client, graph, seed) = await ArrangeAsync(provider);
        await seed.CiRunAsync(graph.Repo, "merge-late-" + graph.MergeSha[..8], graph.MergeSha, "failure", DateTimeOffset.UtcNow, workflow: "deploy");

        using var response = await client.GetAsync($"/api/attribution/session/{graph.AuthoredSession}");

        (await JsonAsync(response)).GetProperty("pullRequests")[0].GetProperty("ciStatus").GetString().Should().Be("failure");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Session_OnlyWeakLink_ShowsNoCommitsByDefault(string provider)
    {
        var (client, graph, _) = await ArrangeAsync(provider);

        using var response = await client.GetAsync($"/api/attribution/session/{graph.WeakSession}");

        var body = await JsonAsync(response);
        body.GetProperty("commits").GetArrayLength().Should().Be(0);
        body.GetProperty("summary").GetString().Should().Be("this session produced no linked commits; no PR known");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Session_Unknown_Answers404Problem(string provider)
    {
        var (client, _, _) = await ArrangeAsync(provider);

        using var response = await client.GetAsync($"/api/attribution/session/{Guid.NewGuid()}");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Session_PrRevertedByRevertPrWithoutTouches_CountsTheRevert(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var seed = new GraphSeeder(app.Database.Connections);
        var repo = GraphSeeder.NewRepo();
        var session = GraphSeeder.NewSessionId();
        var merged = DateTimeOffset.UtcNow.AddDays(-30);
        await seed.SessionAsync(session, "claude-code", "claude-sonnet-4-5", repo, null, merged.AddHours(-2), merged.AddHours(-1));
        await seed.PrAsync(repo, 7, "Cache layer", "merged", merged.AddHours(-1), mergedAt: merged, revertedAt: merged.AddDays(2));
        await seed.SessionPrLinkAsync(session, repo, 7);
        using var client = app.CreateClient();

        using var response = await client.GetAsync($"/api/attribution/session/{session}");

        var body = await JsonAsync(response);
        var pr = body.GetProperty("pullRequests").EnumerateArray().Single();
        pr.GetProperty("revertCount").GetInt32().Should().Be(1);
        pr.GetProperty("downstreamTouchCount").GetInt32().Should().Be(1);
        pr.GetProperty("stillGood").GetBoolean().Should().BeFalse();
        pr.GetProperty("ciStatus").ValueKind.Should().Be(JsonValueKind.Null);
        body.GetProperty("costUsd").ValueKind.Should().Be(JsonValueKind.Null);
        body.GetProperty("summary").GetString().Should().Be(
            "this session produced no linked commits; merged in PR #7 (Cache layer); no CI runs known; touched 1 time since (1 revert); not still good after 14 days");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Session_OpenPrWithHeadCiOnly_ReportsHeadStatus(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var seed = new GraphSeeder(app.Database.Connections);
        var repo = GraphSeeder.NewRepo();
        var session = GraphSeeder.NewSessionId();
        var head = GraphSeeder.NewSha();
        var now = DateTimeOffset.UtcNow;
        await seed.SessionAsync(session, "codex", "gpt-5-codex", repo, 0.1, now.AddHours(-3), now.AddHours(-2));
        await seed.CommitAsync(repo, head, "Draft parser", now.AddHours(-2));
        await seed.LinkAsync(repo, head, session, "co-authored", 0.85);
        await seed.PrAsync(repo, 8, "Parser", "open", now.AddHours(-1), headSha: head);
        await seed.SessionPrLinkAsync(session, repo, 8);
        await seed.CiRunAsync(repo, "head-" + head[..8], head, "in_progress", now);
        using var client = app.CreateClient();

        using var response = await client.GetAsync($"/api/attribution/session/{session}");

        var body = await JsonAsync(response);
        var pr = body.GetProperty("pullRequests").EnumerateArray().Single();
        pr.GetProperty("ciStatus").GetString().Should().Be("pending");
        pr.GetProperty("stillGood").ValueKind.Should().Be(JsonValueKind.Null);
        body.GetProperty("summary").GetString().Should().Be(
            $"this session produced commit {head[..7]}; open in PR #8 (Parser); CI pending; not touched since");
    }
}
