using System.Net;
using System.Text.Json;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Pages;
using Attribution.Tests.Hosting;

namespace Attribution.Tests.Yield;

/// <summary>Shares one seeded host per provider across the API tests.</summary>
public sealed class SeededHostFixture : IAsyncLifetime
{
    private readonly Dictionary<string, Lazy<Task<AttributionApp>>> _hosts = new();
    private readonly Lock _gate = new();

    public Task<AttributionApp> ForAsync(string provider)
    {
        lock (_gate)
        {
            if (!_hosts.TryGetValue(provider, out var host))
            {
                host = new Lazy<Task<AttributionApp>>(() => DashboardSeed.StartHostAsync(provider, seed: true));
                _hosts[provider] = host;
            }

            return host.Value;
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts.Values.Where(h => h.IsValueCreated))
        {
            await (await host.Value).DisposeAsync();
        }
    }
}

public sealed class YieldApiTests(SeededHostFixture fixture) : IClassFixture<SeededHostFixture>
{
    private static async Task<JsonElement> GetJsonAsync(AttributionApp host, string url)
    {
        using var client = host.CreateHttpClient();
        using var response = await client.GetAsync(url);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ApiYield_30Days_TotalsMatchSeededGraph(string provider)
    {
        var host = await fixture.ForAsync(provider);

        var doc = await GetJsonAsync(host, "/api/yield?since=30d");

        var totals = doc.GetProperty("totals");
        totals.GetProperty("sessions").GetInt32().Should().Be(7);
        totals.GetProperty("costUsd").GetDouble().Should().BeApproximately(5.30, 1e-9);
        totals.GetProperty("commitsLinked").GetInt32().Should().Be(5, "the 0.3 link is below the threshold");
        totals.GetProperty("prsMerged").GetInt32().Should().Be(2, "#42 and gadgets#7; #44 was reverted");
        totals.GetProperty("ciPassRate").GetDouble().Should().Be(0.5, "C1 passed, C2 has a failed run");
        totals.GetProperty("revertRate").GetDouble().Should().Be(0.2, "1 reverted of 5 sessions with work");
        totals.GetProperty("stillGoodRate").GetDouble().Should().Be(0.5, "of the merged #42 and reverted #44, old enough, only #42 held");
        totals.GetProperty("costPerMergedPr").GetDouble().Should().BeApproximately(2.65, 1e-9);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ApiYield_SessionRows_CarryTheirOutcomeClass(string provider)
    {
        var host = await fixture.ForAsync(provider);

        var doc = await GetJsonAsync(host, "/api/yield?since=30d");

        var outcomes = doc.GetProperty("sessions").EnumerateArray()
            .ToDictionary(s => s.GetProperty("sessionId").GetString()!, s => s.GetProperty("outcome").GetString());
        outcomes.Should().Equal(new Dictionary<string, string?>
        {
            [DashboardSeed.Merged] = "merged",
            [DashboardSeed.InReview] = "in-review",
            [DashboardSeed.Reverted] = "reverted",
            [DashboardSeed.Committed] = "committed",
            [DashboardSeed.Abandoned] = "abandoned",
            [DashboardSeed.NoRepo] = "no-repo",
            [DashboardSeed.OtherMerged] = "merged",
        });
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ApiYield_MergedSessionRow_HasPrCiStillGoodAndTouches(string provider)
    {
        var host = await fixture.ForAsync(provider);

        var doc = await GetJsonAsync(host, "/api/yield?since=30d");

        var row = doc.GetProperty("sessions").EnumerateArray().Single(s => s.GetProperty("sessionId").GetString() == DashboardSeed.Merged);
        row.GetProperty("pullRequest").GetProperty("number").GetInt64().Should().Be(42);
        row.GetProperty("ciStatus").GetString().Should().Be("success");
        row.GetProperty("stillGood").GetBoolean().Should().BeTrue();
        row.GetProperty("downstreamTouches").GetInt32().Should().Be(1);
        row.GetProperty("commits").GetInt32().Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ApiYield_AgentFilter_GroupsOnlyThatAgent(string provider)
    {
        var host = await fixture.ForAsync(provider);

        var doc = await GetJsonAsync(host, "/api/yield?since=30d&agent=codex");

        doc.GetProperty("totals").GetProperty("sessions").GetInt32().Should().Be(2);
        var group = doc.GetProperty("groups").EnumerateArray().Single();
        group.GetProperty("agent").GetString().Should().Be("codex");
        group.GetProperty("model").GetString().Should().Be("gpt-5-codex");
        group.GetProperty("totals").GetProperty("costUsd").GetDouble().Should().BeApproximately(0.90, 1e-9);
        group.GetProperty("totals").GetProperty("prsMerged").GetInt32().Should().Be(0);
        group.GetProperty("totals").GetProperty("costPerMergedPr").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ApiYield_RepoFilterAnyCase_KeepsThatRepository(string provider)
    {
        var host = await fixture.ForAsync(provider);

        var doc = await GetJsonAsync(host, "/api/yield?since=all&repo=ACME/Gadgets");

        doc.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("sessionId").GetString())
            .Should().Equal(DashboardSeed.OtherMerged);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ApiYield_SevenDays_CountsOnlyRecentSessions(string provider)
    {
        var host = await fixture.ForAsync(provider);

        var doc = await GetJsonAsync(host, "/api/yield?since=7d&model=gpt-5-codex");

        doc.GetProperty("totals").GetProperty("sessions").GetInt32().Should().Be(2);
        (await GetJsonAsync(host, "/api/yield?since=7d")).GetProperty("totals").GetProperty("sessions").GetInt32().Should().Be(5);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ApiYield_BadPeriod_Returns400ProblemDetails(string provider)
    {
        var host = await fixture.ForAsync(provider);
        using var client = host.CreateHttpClient();

        using var response = await client.GetAsync("/api/yield?since=fortnight&pageSize=x");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var body = await response.Content.ReadAsStringAsync();
        body.Should().Contain("\"since\"").And.Contain("\"pageSize\"");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ApiYield_Pagination_SplitsRowsWithoutOverlap(string provider)
    {
        var host = await fixture.ForAsync(provider);

        var first = await GetJsonAsync(host, "/api/yield?since=30d&pageSize=4&page=1&sort=cost");
        var second = await GetJsonAsync(host, "/api/yield?since=30d&pageSize=4&page=2&sort=cost");

        var ids = first.GetProperty("sessions").EnumerateArray().Concat(second.GetProperty("sessions").EnumerateArray())
            .Select(s => s.GetProperty("sessionId").GetString()).ToList();
        ids.Should().HaveCount(7).And.OnlyHaveUniqueItems();
        ids[0].Should().Be(DashboardSeed.NoRepo, "ascending cost puts the unknown cost first");
        ids[^1].Should().Be(DashboardSeed.Reverted, "the $2.00 session is the most expensive");
        first.GetProperty("totalSessions").GetInt32().Should().Be(7);
    }
}
