using System.Net;
using System.Text.Json;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Hosting;

namespace Attribution.Tests.Reports;

public sealed class OutcomeListApiTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static async Task<List<JsonElement>> RowsAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
    }

    /// <summary>Three PRs of one repo (merged 1 day ago, open since 5 days, closed 40 days ago) and one of another repo.</summary>
    private async Task<(HttpClient Client, string Repo, GraphSeeder Seed)> ArrangePrsAsync(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var seed = new GraphSeeder(app.Database.Connections);
        var repo = GraphSeeder.NewRepo();
        var now = DateTimeOffset.UtcNow;
        await seed.PrAsync(repo, 1, "old closed", "closed", now.AddDays(-40));
        await seed.PrAsync(repo, 2, "open", "open", now.AddDays(-5));
        await seed.PrAsync(repo, 3, "merged", "merged", now.AddDays(-2), mergedAt: now.AddDays(-1));
        await seed.SessionAsync("s-1", "claude-code", "claude-opus-4-6", repo, 1.0, now.AddDays(-3), now.AddDays(-3).AddHours(1));
        await seed.SessionPrLinkAsync("s-1", repo, 3);
        await seed.PrAsync(GraphSeeder.NewRepo(), 9, "elsewhere", "merged", now.AddDays(-1), mergedAt: now.AddHours(-1));
        return (app.CreateClient(), repo, seed);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PrOutcomes_ByRepo_NewestFirst(string provider)
    {
        var (client, repo, _) = await ArrangePrsAsync(provider);

        using var response = await client.GetAsync($"/api/pr-outcomes?repo={repo}");

        var rows = await RowsAsync(response);
        rows.Select(r => r.GetProperty("number").GetInt32()).Should().Equal(3, 2, 1);
        rows[0].GetProperty("linkedSessionIds").EnumerateArray().Select(e => e.GetString()).Should().Equal("s-1");
        rows.Should().AllSatisfy(r => r.GetProperty("repo").GetString().Should().Be(repo));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PrOutcomes_StateAndSince_Filter(string provider)
    {
        var (client, repo, _) = await ArrangePrsAsync(provider);

        using var merged = await client.GetAsync($"/api/pr-outcomes?repo={repo}&state=merged");
        using var recent = await client.GetAsync($"/api/pr-outcomes?repo={repo}&since=30d");
        using var sinceDate = await client.GetAsync($"/api/pr-outcomes?repo={repo}&since={DateTimeOffset.UtcNow.AddDays(-3):yyyy-MM-dd}");

        (await RowsAsync(merged)).Select(r => r.GetProperty("number").GetInt32()).Should().Equal(3);
        (await RowsAsync(recent)).Select(r => r.GetProperty("number").GetInt32()).Should().Equal(3, 2);
        (await RowsAsync(sinceDate)).Select(r => r.GetProperty("number").GetInt32()).Should().Equal(3);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PrOutcomes_Limit_CutsTheList(string provider)
    {
        var (client, repo, _) = await ArrangePrsAsync(provider);

        using var response = await client.GetAsync($"/api/pr-outcomes?repo={repo}&limit=2");

        (await RowsAsync(response)).Select(r => r.GetProperty("number").GetInt32()).Should().Equal(3, 2);
    }

    public static IEnumerable<object[]> BadPrQueries()
    {
        foreach (var provider in TestProviders.All.Select(p => (string)p[0]))
        {
            foreach (var (query, field) in new[] { ("limit=0", "limit"), ("limit=1001", "limit"), ("limit=ten", "limit"), ("state=draft", "state"), ("since=yesterday", "since"), ("since=-3d", "since"), ("repo=../etc", "repo") })
            {
                yield return [provider, query, field];
            }
        }
    }

    [Theory]
    [MemberData(nameof(BadPrQueries))]
    public async Task PrOutcomes_BadParameter_Answers400ValidationProblem(string provider, string query, string field)
    {
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();

        using var response = await client.GetAsync($"/api/pr-outcomes?{query}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue();
    }

    private async Task<(HttpClient Client, string Repo, string Sha)> ArrangeRunsAsync(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var seed = new GraphSeeder(app.Database.Connections);
        var repo = GraphSeeder.NewRepo();
        var sha = GraphSeeder.NewSha();
        var now = DateTimeOffset.UtcNow;
        await seed.CiRunAsync(repo, "r-old-" + sha[..6], sha, "failure", now.AddHours(-3));
        await seed.CiRunAsync(repo, "r-new-" + sha[..6], sha, "success", now.AddHours(-1));
        await seed.CiRunAsync(repo, "r-other-" + sha[..6], GraphSeeder.NewSha(), "success", now.AddHours(-2));
        return (app.CreateClient(), repo, sha);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CiRuns_ByCommit_NewestFirst(string provider)
    {
        var (client, repo, sha) = await ArrangeRunsAsync(provider);

        using var full = await client.GetAsync($"/api/ci-runs?repo={repo}&commitSha={sha}");
        using var abbreviated = await client.GetAsync($"/api/ci-runs?commitSha={sha[..10]}");

        (await RowsAsync(full)).Select(r => r.GetProperty("runId").GetString()).Should().Equal("r-new-" + sha[..6], "r-old-" + sha[..6]);
        (await RowsAsync(abbreviated)).Select(r => r.GetProperty("commitSha").GetString()).Should().Equal(sha, sha);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CiRuns_StatusAndLimit_Filter(string provider)
    {
        var (client, repo, sha) = await ArrangeRunsAsync(provider);

        using var failed = await client.GetAsync($"/api/ci-runs?repo={repo}&status=failure");
        using var limited = await client.GetAsync($"/api/ci-runs?repo={repo}&limit=1");

        (await RowsAsync(failed)).Select(r => r.GetProperty("runId").GetString()).Should().Equal("r-old-" + sha[..6]);
        (await RowsAsync(limited)).Select(r => r.GetProperty("runId").GetString()).Should().Equal("r-new-" + sha[..6]);
    }

    public static IEnumerable<object[]> BadCiQueries()
    {
        foreach (var provider in TestProviders.All.Select(p => (string)p[0]))
        {
            foreach (var (query, field) in new[] { ("status=green", "status"), ("commitSha=xyz", "commitSha"), ("commitSha=abc12", "commitSha"), ("limit=5000", "limit") })
            {
                yield return [provider, query, field];
            }
        }
    }

    [Theory]
    [MemberData(nameof(BadCiQueries))]
    public async Task CiRuns_BadParameter_Answers400ValidationProblem(string provider, string query, string field)
    {
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();

        using var response = await client.GetAsync($"/api/ci-runs?{query}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task OpenApi_DescribesTheQueryEndpoints(string provider)
    {
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();

        var body = await client.GetStringAsync("/openapi/v1.json");

        body.Should().Contain("/api/attribution/commit/{sha}").And.Contain("/api/attribution/session/{id}")
            .And.Contain("/api/pr-outcomes").And.Contain("/api/ci-runs")
            .And.Contain("GetCommitAttribution").And.Contain("CommitAttributionDocument");
    }
}
