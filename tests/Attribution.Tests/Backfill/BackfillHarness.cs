using System.Text.Json.Nodes;
using Attribution.Backfill;
using Attribution.Hosting;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Attribution.Common;

namespace Attribution.Tests.Backfill;

/// <summary>A fresh database, a fake GitHub/GitLab API (WireMock on 127.0.0.1) and a backfill service wired to both.</summary>
public sealed class BackfillHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    private BackfillHarness(TestDatabase database, WireMockServer server)
    {
        Database = database;
        Server = server;
        Clock = new JumpingClock(Start);
        Signal = new ChangeSignal();
        Cursors = new CursorStore(database.Connections, Clock);
    }

    public TestDatabase Database { get; }

    public WireMockServer Server { get; }

    public JumpingClock Clock { get; }

    public ChangeSignal Signal { get; }

    public CursorStore Cursors { get; }

    public string GitHubApiUrl => Server.Url + "/api/v3/";

    public static async Task<BackfillHarness> CreateAsync(string provider)
    {
        var database = await TestDatabase.CreateAsync(provider);
        return new BackfillHarness(database, WireMockServer.Start());
    }

    public BackfillService Service(string? githubToken = "test-token", string? gitlabToken = "test-token", BackfillHttpSettings? settings = null)
    {
        var runner = new BackfillRunner(new PrStore(Database.Connections, Clock), new CiRunStore(Database.Connections, Clock),
            new CommitStore(Database.Connections, Clock), Cursors, NullLogger<BackfillRunner>.Instance);
        return new BackfillService(runner,
            Options.Create(new GitHubOptions { ApiUrl = GitHubApiUrl, Token = githubToken }),
            Options.Create(new GitLabOptions { Url = Server.Url + "/", Token = gitlabToken }),
            Signal, Clock, NullLogger<BackfillService>.Instance,
            settings ?? new BackfillHttpSettings { AttemptTimeout = TimeSpan.FromSeconds(20), MaxRetries = 3 });
    }

    public void Json(string path, object body, int status = 200, Dictionary<string, string>? query = null, Dictionary<string, string>? headers = null,
        int priority = 10, string? scenario = null, string? whenState = null, string? setState = null, TimeSpan? delay = null)
    {
        // GitLab project paths travel as one %2F-encoded segment; accept the path however the server presents it.
        var request = Request.Create().WithPath(path, Uri.UnescapeDataString(path)).UsingGet();
        foreach (var (key, value) in query ?? [])
        {
            request = request.WithParam(key, value);
        }

        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json; charset=utf-8")
            .WithBody(body is string text ? text : System.Text.Json.JsonSerializer.Serialize(body));
        foreach (var (key, value) in headers ?? [])
        {
            response = response.WithHeader(key, value);
        }

        if (delay is { } wait)
        {
            response = response.WithDelay(wait);
        }

        var mapping = Server.Given(request).AtPriority(priority);
        if (scenario is not null)
        {
            mapping = mapping.InScenario(scenario);
            if (whenState is not null)
            {
                mapping = mapping.WhenStateIs(whenState);
            }

            if (setState is not null)
            {
                mapping = mapping.WillSetStateTo(setState);
            }
        }

        mapping.RespondWith(response);
    }

    public int Requests(string path, string? page = null) => Server.LogEntries.Count(e =>
        (e.RequestMessage.Path == path || e.RequestMessage.Path == Uri.UnescapeDataString(path)) && (page is null || (e.RequestMessage.Query is { } q && q.TryGetValue("page", out var p) && p.Contains(page))));

    public static JsonObject Fixture(string name) => (JsonObject)JsonNode.Parse(File.ReadAllText(FixtureFiles.Fixture(name)))!;

    public async Task<List<Dictionary<string, object?>>> RowsAsync(string table, string orderBy, params string[] except)
    {
        await using var connection = await Database.Connections.OpenAsync(CancellationToken.None);
        var rows = await connection.QueryAsync($"SELECT * FROM {table} ORDER BY {orderBy}");
        return [.. rows.Cast<IDictionary<string, object?>>().Select(r => r.Where(kv => !except.Contains(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value is long or int ? Convert.ToInt64(kv.Value, System.Globalization.CultureInfo.InvariantCulture) : kv.Value))];
    }

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var connection = await Database.Connections.OpenAsync(CancellationToken.None);
        return (await connection.ExecuteScalarAsync<T>(sql, args))!;
    }

    public async ValueTask DisposeAsync()
    {
        Server.Stop();
        Server.Dispose();
        await Database.DisposeAsync();
    }
}
