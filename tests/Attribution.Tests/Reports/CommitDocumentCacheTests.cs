using System.Net.Http.Json;
using System.Text.Json;
using Attribution.Api;
using Attribution.Reports;
using Attribution.Store;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Reports;

/// <summary>
/// The commit document's reads are kept between requests (<see cref="ReadCache"/>): a write made after a cached read,
/// by this instance, another instance on the same database or another connection altogether, shows on the next read.
/// </summary>
public sealed class CommitDocumentCacheTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Commit_LinkWrittenAfterACachedRead_ShowsOnTheNextReadOfBothInstances(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var seed = new GraphSeeder(app.Database.Connections);
        var graph = await SeededGraph.SeedAsync(seed);
        var client = app.CreateClient();
        // A second instance on the same database: its own connections, its own cache.
        await using var otherConnections = new DbConnectionFactory(app.Database.Options);
        await using var otherCache = new ReadCache(otherConnections);
        var other = Service(otherConnections, otherCache);

        (await SessionsOverHttpAsync(client, graph.Sha)).Should().Equal(graph.AuthoredSession);
        (await SessionsOverHttpAsync(client, graph.Sha)).Should().Equal(graph.AuthoredSession);
        (await SessionsDirectAsync(other, graph.Sha)).Should().Equal(graph.AuthoredSession);

        var late = GraphSeeder.NewSessionId();
        await seed.SessionAsync(late, "codex", "gpt-5-codex", graph.Repo, 0.1, graph.CommittedAt.AddHours(-1), graph.CommittedAt);
        await seed.LinkAsync(graph.Repo, graph.Sha, late, "inferred-by-touch", 0.9);

        (await SessionsOverHttpAsync(client, graph.Sha)).Should().Equal(graph.AuthoredSession, late);
        (await SessionsDirectAsync(other, graph.Sha)).Should().Equal(graph.AuthoredSession, late);

        // A write through the second instance's own connections is seen by the first and by itself.
        await new GraphSeeder(otherConnections).CiRunAsync(graph.Repo, "late-run", graph.Sha, "failure", graph.CommittedAt.AddHours(1));
        var body = JsonDocument.Parse(await client.GetStringAsync($"/api/attribution/commit/{graph.Sha}")).RootElement;
        body.GetProperty("ciRuns").EnumerateArray().Select(r => r.GetProperty("runId").GetString()).Should().Contain("late-run");
        var direct = await other.GetAsync(graph.Sha, null, CommitAttributionService.DefaultMinConfidence, CancellationToken.None);
        direct.Document!.CiRuns.Select(r => r.RunId).Should().Contain("late-run");

        // The engine's downstream rows are part of the kept document too: a touch stored later shows in both.
        var fixSha = GraphSeeder.NewSha();
        await seed.TouchAsync(graph.Repo, Attribution.Linking.DownstreamCalculator.CommitTarget, graph.Sha, fixSha, "fix", graph.CommittedAt.AddDays(2), linesChanged: 2);
        body = JsonDocument.Parse(await client.GetStringAsync($"/api/attribution/commit/{graph.Sha}")).RootElement;
        body.GetProperty("downstream").GetProperty("touches").EnumerateArray().Select(t => t.GetProperty("sha").GetString()).Should().Contain(fixSha);
        direct = await other.GetAsync(graph.Sha, null, CommitAttributionService.DefaultMinConfidence, CancellationToken.None);
        direct.Document!.Downstream.Touches!.Select(t => t.Sha).Should().Contain(fixSha);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ReadCache_NoWriteBetweenReads_LoadsOnceOnSqliteAndEveryTimeOnPostgres(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var cache = new ReadCache(database.Connections);
        var loads = 0;
        Task<int> Load() => Task.FromResult(++loads);

        var first = await cache.GetOrLoadAsync("k", Load, CancellationToken.None);
        var second = await cache.GetOrLoadAsync("k", Load, CancellationToken.None);
        await new GraphSeeder(database.Connections).CommitAsync(GraphSeeder.NewRepo(), GraphSeeder.NewSha(), "a write", DateTimeOffset.UtcNow);
        var third = await cache.GetOrLoadAsync("k", Load, CancellationToken.None);

        if (provider == TestProviders.Sqlite)
        {
            (first, second, third).Should().Be((1, 1, 2));
        }
        else
        {
            (first, second, third).Should().Be((1, 2, 3));
        }
    }

    private static CommitAttributionService Service(DbConnectionFactory connections, ReadCache cache) =>
        new(new AttributionQueryStore(connections), TimeProvider.System, new DecisionStore(connections), new RecordedStore(connections, TimeProvider.System),
            new DownstreamStore(connections), cache);

    private static async Task<List<string?>> SessionsOverHttpAsync(HttpClient client, string sha)
    {
        var body = await client.GetFromJsonAsync<JsonElement>($"/api/attribution/commit/{sha}");
        return body.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("sessionId").GetString()).ToList();
    }

    private static async Task<List<string?>> SessionsDirectAsync(CommitAttributionService service, string sha)
    {
        var lookup = await service.GetAsync(sha, null, CommitAttributionService.DefaultMinConfidence, CancellationToken.None);
        return lookup.Document!.Sessions.Select(s => (string?)s.SessionId).ToList();
    }
}
