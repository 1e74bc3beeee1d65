using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Hosting;

namespace Attribution.Tests.Reports;

public sealed class CommitAttributionApiTests(AppFixture fixture) : IClassFixture<AppFixture>
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
    public async Task Commit_DefaultFloor_ShowsOnlyTheAuthoredLink(string provider)
    {
        var (client, graph, _) = await ArrangeAsync(provider);

        using var response = await client.GetAsync($"/api/attribution/commit/{graph.Sha}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await JsonAsync(response);
        body.GetProperty("repo").GetString().Should().Be(graph.Repo);
        body.GetProperty("sha").GetString().Should().Be(graph.Sha);
        body.GetProperty("subject").GetString().Should().Be("Add retry to the uploader");
        var sessions = body.GetProperty("sessions").EnumerateArray().ToList();
        sessions.Should().ContainSingle();
        sessions[0].GetProperty("sessionId").GetString().Should().Be(graph.AuthoredSession);
        sessions[0].GetProperty("linkType").GetString().Should().Be("authored");
        sessions[0].GetProperty("confidence").GetDouble().Should().Be(1.0);
        sessions[0].GetProperty("costUsd").GetDouble().Should().Be(0.42);
        sessions[0].GetProperty("agent").GetString().Should().Be("claude-code");
        sessions[0].GetProperty("model").GetString().Should().Be("claude-opus-4-6");
        sessions[0].GetProperty("evidence").GetProperty("method").GetString().Should().Be("commit-output");
        body.GetProperty("agent").GetString().Should().Be("claude-code");
        body.GetProperty("model").GetString().Should().Be("claude-opus-4-6");
        body.GetProperty("summary").GetString().Should().Be(
            $"this commit came from session {graph.AuthoredSession} (authored, agent: claude-code, model: claude-opus-4-6, $0.42)");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Commit_MinConfidenceZero_ShowsBothLinksStrongestFirst(string provider)
    {
        var (client, graph, _) = await ArrangeAsync(provider);

        using var response = await client.GetAsync($"/api/attribution/commit/{graph.Sha}?minConfidence=0");

        var sessions = (await JsonAsync(response)).GetProperty("sessions").EnumerateArray().ToList();
        sessions.Select(s => s.GetProperty("sessionId").GetString()).Should().Equal(graph.AuthoredSession, graph.WeakSession);
        sessions[1].GetProperty("confidence").GetDouble().Should().Be(0.3);
        sessions[1].GetProperty("linkType").GetString().Should().Be("inferred-by-touch");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Commit_InMergedPr_ListsPrAndCiRuns(string provider)
    {
        var (client, graph, _) = await ArrangeAsync(provider);

        using var response = await client.GetAsync($"/api/attribution/commit/{graph.Sha}");

        var body = await JsonAsync(response);
        var pr = body.GetProperty("pullRequests").EnumerateArray().Single();
        pr.GetProperty("provider").GetString().Should().Be("github");
        pr.GetProperty("repo").GetString().Should().Be(graph.Repo);
        pr.GetProperty("number").GetInt32().Should().Be(42);
        pr.GetProperty("title").GetString().Should().Be("Uploader retries");
        pr.GetProperty("state").GetString().Should().Be("merged");
        pr.GetProperty("url").GetString().Should().Be($"https://github.com/{graph.Repo}/pull/42");
        pr.GetProperty("mergedAt").GetDateTimeOffset().Should().BeCloseTo(graph.CommittedAt.AddHours(2), TimeSpan.FromSeconds(1));
        var run = body.GetProperty("ciRuns").EnumerateArray().Single();
        run.GetProperty("runId").GetString().Should().Be("run-" + graph.Sha[..8]);
        run.GetProperty("status").GetString().Should().Be("success");
        run.GetProperty("workflowName").GetString().Should().Be("build");
        run.GetProperty("provider").GetString().Should().Be("github-actions");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Commit_MergeCommit_FindsThePrItMerged(string provider)
    {
        var (client, graph, _) = await ArrangeAsync(provider);

        using var response = await client.GetAsync($"/api/attribution/commit/{graph.MergeSha}");

        var body = await JsonAsync(response);
        body.GetProperty("pullRequests").EnumerateArray().Single().GetProperty("number").GetInt32().Should().Be(42);
        body.GetProperty("sessions").GetArrayLength().Should().Be(0);
        body.GetProperty("summary").GetString().Should().Be("no linked session, and the commit carries no agent marker");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Commit_YoungWithFixAndRevertTouches_CountsThemAndIsTooYoungToJudge(string provider)
    {
        var (client, graph, _) = await ArrangeAsync(provider);

        using var response = await client.GetAsync($"/api/attribution/commit/{graph.Sha}");

        var downstream = (await JsonAsync(response)).GetProperty("downstream");
        downstream.GetProperty("touchCount").GetInt32().Should().Be(3);
        downstream.GetProperty("fixCount").GetInt32().Should().Be(1);
        downstream.GetProperty("revertCount").GetInt32().Should().Be(1);
        downstream.GetProperty("revertedBy").GetString().Should().Be(graph.RevertSha);
        downstream.GetProperty("lastTouchAt").GetDateTimeOffset().Should().BeCloseTo(graph.CommittedAt.AddHours(30), TimeSpan.FromSeconds(1));
        downstream.GetProperty("stillGoodAfterDays").GetInt32().Should().Be(14);
        // Younger than 14 days: "too young to judge" (null), never false, even with a revert already in.
        downstream.GetProperty("stillGood").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Commit_TwentyDaysOldWithOnlyOtherTouch_IsStillGood(string provider)
    {
        var (client, graph, _) = await ArrangeAsync(provider);

        using var response = await client.GetAsync($"/api/attribution/commit/{graph.OldSha}");

        var downstream = (await JsonAsync(response)).GetProperty("downstream");
        downstream.GetProperty("touchCount").GetInt32().Should().Be(1);
        downstream.GetProperty("fixCount").GetInt32().Should().Be(0);
        downstream.GetProperty("revertCount").GetInt32().Should().Be(0);
        downstream.GetProperty("revertedBy").ValueKind.Should().Be(JsonValueKind.Null);
        downstream.GetProperty("stillGood").GetBoolean().Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Commit_Abbreviated_ResolvesToTheOneCommit(string provider)
    {
        var (client, graph, _) = await ArrangeAsync(provider);

        using var response = await client.GetAsync($"/api/attribution/commit/{graph.Sha[..7].ToUpperInvariant()}?repo={graph.Repo.ToUpperInvariant()}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await JsonAsync(response)).GetProperty("sha").GetString().Should().Be(graph.Sha);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Commit_AbbreviationMatchingTwo_Answers409WithCandidates(string provider)
    {
        var (client, graph, seed) = await ArrangeAsync(provider);
        var prefix = GraphSeeder.NewSha()[..9];
        var first = GraphSeeder.NewSha(prefix);
        var second = GraphSeeder.NewSha(prefix);
        await seed.CommitAsync(graph.Repo, first, "First of two", DateTimeOffset.UtcNow.AddDays(-1));
        await seed.CommitAsync(graph.Repo, second, "Second of two", DateTimeOffset.UtcNow.AddDays(-1));

        using var response = await client.GetAsync($"/api/attribution/commit/{prefix[..8]}");

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var candidates = (await JsonAsync(response)).GetProperty("candidates").EnumerateArray().ToList();
        candidates.Select(c => c.GetProperty("sha").GetString()).Should().BeEquivalentTo([first, second]);
        candidates.Should().AllSatisfy(c => c.GetProperty("repo").GetString().Should().Be(graph.Repo));
        candidates.Select(c => c.GetProperty("subject").GetString()).Should().BeEquivalentTo(["First of two", "Second of two"]);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Commit_Unknown_Answers404Problem(string provider)
    {
        var (client, _, _) = await ArrangeAsync(provider);

        using var response = await client.GetAsync($"/api/attribution/commit/{GraphSeeder.NewSha()}");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await JsonAsync(response)).GetProperty("detail").GetString().Should().StartWith("unknown commit ");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Commit_KnownShaInOtherRepo_Answers404(string provider)
    {
        var (client, graph, _) = await ArrangeAsync(provider);

        using var response = await client.GetAsync($"/api/attribution/commit/{graph.Sha}?repo=acme/elsewhere");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    public static IEnumerable<object[]> MalformedShas()
    {
        foreach (var provider in TestProviders.All.Select(p => (string)p[0]))
        {
            foreach (var sha in new[] { "xyz", "abcdef", new string('a', 41), "..%2F", "abcdefg", "abc%20def1" })
            {
                yield return [provider, sha];
            }
        }
    }

    [Theory]
    [MemberData(nameof(MalformedShas))]
    public async Task Commit_MalformedSha_Answers400Problem(string provider, string sha)
    {
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();

        using var response = await client.GetAsync($"/api/attribution/commit/{sha}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Commit_MinConfidenceOutOfRange_Answers400Problem(string provider)
    {
        var (client, graph, _) = await ArrangeAsync(provider);

        using var response = await client.GetAsync($"/api/attribution/commit/{graph.Sha}?minConfidence=1.5");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Commit_AgentMarkerWithoutSession_SaysWhatTheCommitKnows(string provider)
    {
        var (client, graph, seed) = await ArrangeAsync(provider);
        var sha = GraphSeeder.NewSha();
        await seed.CommitAsync(graph.Repo, sha, "Tweak\n\nCo-authored-by: Codex <noreply@openai.com>", DateTimeOffset.UtcNow.AddDays(-3), agent: "codex", agentModel: "gpt-5-codex");

        using var response = await client.GetAsync($"/api/attribution/commit/{sha}");

        var body = await JsonAsync(response);
        body.GetProperty("agent").GetString().Should().Be("codex");
        body.GetProperty("model").GetString().Should().Be("gpt-5-codex");
        body.GetProperty("downstream").GetProperty("stillGood").ValueKind.Should().Be(JsonValueKind.Null);
        body.GetProperty("summary").GetString().Should().Be("no linked session; the commit's agent marker says agent: codex, model: gpt-5-codex");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Commit_Document_HasExactlyTheContractFields(string provider)
    {
        var (client, graph, _) = await ArrangeAsync(provider);

        using var response = await client.GetAsync($"/api/attribution/commit/{graph.Sha}");

        var body = await JsonAsync(response);
        body.EnumerateObject().Select(p => p.Name).Should().Equal(
            "repo", "sha", "subject", "committedAt", "agent", "model", "sessions", "pullRequests", "ciRuns", "downstream", "summary", "decisions", "aiLines");
        body.GetProperty("downstream").EnumerateObject().Select(p => p.Name).Should().Equal(
            "touchCount", "fixCount", "revertCount", "revertedBy", "lastTouchAt", "stillGoodAfterDays", "stillGood",
            "linesWritten", "linesAtHead", "linesAfter14d", "linesAfter30d", "survivalAtHead", "survival14d", "survival30d", "linesRewrittenByOthers", "touches");
        body.GetProperty("sessions")[0].EnumerateObject().Select(p => p.Name).Should().Equal(
            "sessionId", "agent", "model", "linkType", "confidence", "costUsd", "evidence");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Commit_DecisionRecordedOnItOrItsPr_IsListed(string provider)
    {
        var (client, graph, seed) = await ArrangeAsync(provider);
        await seed.PrAsync(graph.Repo, 4242, "Cache layer", "open", DateTimeOffset.UtcNow.AddDays(-1));
        await seed.PrCommitAsync(graph.Repo, 4242, graph.Sha);
        async Task<string> RecordAsync(object @params)
        {
            using var rpc = await client.PostAsJsonAsync("/cstp", new { jsonrpc = "2.0", id = 1, method = "cstp.recordDecision", @params });
            return (await JsonAsync(rpc)).GetProperty("result").GetProperty("id").GetString()!;
        }

        var onCommit = await RecordAsync(new { summary = "Use a read-through cache", confidence = 0.8, project = graph.Repo, commit = graph.Sha, file = "src/cache.py", line = 12 });
        var onPr = await RecordAsync(new { summary = "Keep the TTL at 5 minutes", confidence = 0.6, project = graph.Repo, pr = 4242 });
        await RecordAsync(new { summary = "Elsewhere", confidence = 0.5, project = graph.Repo, pr = 9999 });

        using var response = await client.GetAsync($"/api/attribution/commit/{graph.Sha}");

        var decisions = (await JsonAsync(response)).GetProperty("decisions");
        decisions.EnumerateArray().Select(d => d.GetProperty("id").GetString()).Should().BeEquivalentTo([onCommit, onPr]);
        decisions.EnumerateArray().Single(d => d.GetProperty("id").GetString() == onCommit).GetProperty("line").GetInt64().Should().Be(12);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Commit_RevertKnownOnlyFromItsMessage_IsRevertedBy(string provider)
    {
        var (client, graph, seed) = await ArrangeAsync(provider);
        var sha = GraphSeeder.NewSha();
        var revert = GraphSeeder.NewSha();
        var at = DateTimeOffset.UtcNow.AddDays(-30);
        await seed.CommitAsync(graph.Repo, sha, "Add cache", at);
        await seed.CommitAsync(graph.Repo, revert, $"Revert \"Add cache\"\n\nThis reverts commit {sha}.", at.AddDays(3), revertsSha: sha);

        using var response = await client.GetAsync($"/api/attribution/commit/{sha}");

        var downstream = (await JsonAsync(response)).GetProperty("downstream");
        downstream.GetProperty("revertCount").GetInt32().Should().Be(1);
        downstream.GetProperty("revertedBy").GetString().Should().Be(revert);
        downstream.GetProperty("stillGood").GetBoolean().Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Commit_FullShaInTwoRepos_Answers409UnlessRepoGiven(string provider)
    {
        var (client, graph, seed) = await ArrangeAsync(provider);
        var fork = GraphSeeder.NewRepo();
        await seed.CommitAsync(fork, graph.Sha, "Add retry to the uploader", graph.CommittedAt);

        using var ambiguous = await client.GetAsync($"/api/attribution/commit/{graph.Sha}");
        using var scoped = await client.GetAsync($"/api/attribution/commit/{graph.Sha}?repo={fork}");

        ambiguous.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await JsonAsync(ambiguous)).GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("repo").GetString())
            .Should().BeEquivalentTo([graph.Repo, fork]);
        scoped.StatusCode.Should().Be(HttpStatusCode.OK);
        (await JsonAsync(scoped)).GetProperty("sessions").GetArrayLength().Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Commit_MalformedRepo_Answers400Problem(string provider)
    {
        var (client, graph, _) = await ArrangeAsync(provider);

        using var response = await client.GetAsync($"/api/attribution/commit/{graph.Sha}?repo=not-a-slug");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Commit_AbbreviationMatchingMany_ListsAtMostTenCandidates(string provider)
    {
        var (client, graph, seed) = await ArrangeAsync(provider);
        var prefix = GraphSeeder.NewSha()[..9];
        for (var i = 0; i < 12; i++)
        {
            await seed.CommitAsync(graph.Repo, GraphSeeder.NewSha(prefix), $"Commit {i}", DateTimeOffset.UtcNow);
        }

        using var response = await client.GetAsync($"/api/attribution/commit/{prefix}");

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var body = await JsonAsync(response);
        body.GetProperty("candidates").GetArrayLength().Should().Be(10);
        body.GetProperty("detail").GetString().Should().Contain("more than 10 candidates");
    }
}
