using System.Text.Json;
using Attribution.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Attribution.Tests.Hosting;

namespace Attribution.Tests.Mcp;

public sealed class McpToolsTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    /// <summary>An SDK client speaking streamable HTTP to the in-memory test server.</summary>
    internal static async Task<McpClient> ConnectAsync(AttributionApp app, string? apiKey = null)
    {
        var http = app.CreateClient();
        var options = new HttpClientTransportOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
        };
        if (apiKey is not null)
        {
            options.AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {apiKey}" };
        }

        var transport = new HttpClientTransport(options, http, loggerFactory: null, ownsHttpClient: true);
        return await McpClient.CreateAsync(transport);
    }

    private static string Text(CallToolResult result) => result.Content.OfType<TextContentBlock>().Single().Text;

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ListTools_OffersTheAttributionTools(string provider)
    {
        var app = await fixture.ForAsync(provider);
        await using var client = await ConnectAsync(app);

        var tools = await client.ListToolsAsync();

        tools.Select(t => t.Name).Should().BeEquivalentTo(["attribute_commit", "attribute_session", "get_pr_outcomes", "get_ci_runs", "get_yield", "list_recent"]);
        tools.Should().OnlyContain(t => !string.IsNullOrWhiteSpace(t.Description));
        var ciArgs = tools.Single(t => t.Name == "get_ci_runs").JsonSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name);
        ciArgs.Should().BeEquivalentTo(["commit_sha", "status"]);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeCommit_KnownSha_AnswersTheApiDocument(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var graph = await SeededGraph.SeedAsync(new GraphSeeder(app.Database.Connections));
        await using var client = await ConnectAsync(app);
        using var http = app.CreateClient();
        var apiBody = await http.GetStringAsync($"/api/attribution/commit/{graph.Sha}");

        var result = await client.CallToolAsync("attribute_commit", new Dictionary<string, object?> { ["sha"] = graph.Sha[..10], ["repo"] = graph.Repo });

        result.IsError.Should().NotBe(true);
        var document = JsonDocument.Parse(Text(result)).RootElement;
        document.GetProperty("sha").GetString().Should().Be(graph.Sha);
        document.GetProperty("sessions")[0].GetProperty("sessionId").GetString().Should().Be(graph.AuthoredSession);
        Text(result).Should().Be(apiBody);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeCommit_Unknown_IsToolErrorWithTheApiMessage(string provider)
    {
        var app = await fixture.ForAsync(provider);
        await using var client = await ConnectAsync(app);
        var sha = GraphSeeder.NewSha();

        var result = await client.CallToolAsync("attribute_commit", new Dictionary<string, object?> { ["sha"] = sha });

        result.IsError.Should().BeTrue();
        Text(result).Should().Contain($"unknown commit {sha}");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeSession_Known_AnswersTheSessionDocument(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var graph = await SeededGraph.SeedAsync(new GraphSeeder(app.Database.Connections));
        await using var client = await ConnectAsync(app);

        var result = await client.CallToolAsync("attribute_session", new Dictionary<string, object?> { ["id"] = graph.AuthoredSession });

        JsonDocument.Parse(Text(result)).RootElement.GetProperty("pullRequests")[0].GetProperty("ciStatus").GetString().Should().Be("success");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeSession_UniquePrefix_AnswersTheSessionDocument(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var graph = await SeededGraph.SeedAsync(new GraphSeeder(app.Database.Connections));
        await using var client = await ConnectAsync(app);

        var result = await client.CallToolAsync("attribute_session", new Dictionary<string, object?> { ["id"] = graph.AuthoredSession[..8] });

        result.IsError.Should().NotBe(true);
        JsonDocument.Parse(Text(result)).RootElement.GetProperty("sessionId").GetString().Should().Be(graph.AuthoredSession);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task GetCiRuns_ByCommit_AnswersRows(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var graph = await SeededGraph.SeedAsync(new GraphSeeder(app.Database.Connections));
        await using var client = await ConnectAsync(app);

        var result = await client.CallToolAsync("get_ci_runs", new Dictionary<string, object?> { ["commit_sha"] = graph.MergeSha });
        var bad = await client.CallToolAsync("get_ci_runs", new Dictionary<string, object?> { ["status"] = "green" });

        JsonDocument.Parse(Text(result)).RootElement.EnumerateArray().Select(r => r.GetProperty("runId").GetString())
            .Should().Equal("merge-" + graph.MergeSha[..8]);
        bad.IsError.Should().BeTrue();
        Text(bad).Should().Contain("status must be one of");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task GetYield_ByRepo_AnswersTheApiDocument(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var graph = await SeededGraph.SeedAsync(new GraphSeeder(app.Database.Connections));
        await using var client = await ConnectAsync(app);
        using var http = app.CreateClient();

        var result = await client.CallToolAsync("get_yield", new Dictionary<string, object?> { ["since"] = "all", ["repo"] = graph.Repo });
        var bad = await client.CallToolAsync("get_yield", new Dictionary<string, object?> { ["since"] = "forever" });
        var api = JsonDocument.Parse(await http.GetStringAsync($"/api/yield?since=all&repo={graph.Repo}")).RootElement;

        result.IsError.Should().NotBe(true);
        var tool = JsonDocument.Parse(Text(result)).RootElement;
        tool.GetProperty("totals").GetRawText().Should().Be(api.GetProperty("totals").GetRawText());
        tool.GetProperty("sessions").GetArrayLength().Should().Be(api.GetProperty("sessions").GetArrayLength()).And.BeGreaterThan(0);
        bad.IsError.Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task GetPrOutcomes_ByRepoAndState_AnswersRows(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var graph = await SeededGraph.SeedAsync(new GraphSeeder(app.Database.Connections));
        await using var client = await ConnectAsync(app);

        var result = await client.CallToolAsync("get_pr_outcomes", new Dictionary<string, object?> { ["repo"] = graph.Repo, ["state"] = "merged", ["since"] = "7d" });

        JsonDocument.Parse(Text(result)).RootElement.EnumerateArray().Select(r => r.GetProperty("number").GetInt32()).Should().Equal(42);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeCommit_Ambiguous_IsToolErrorNamingCandidates(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var seed = new GraphSeeder(app.Database.Connections);
        var repo = GraphSeeder.NewRepo();
        var prefix = GraphSeeder.NewSha()[..8];
        var first = GraphSeeder.NewSha(prefix);
        var second = GraphSeeder.NewSha(prefix);
        await seed.CommitAsync(repo, first, "One", DateTimeOffset.UtcNow);
        await seed.CommitAsync(repo, second, "Two", DateTimeOffset.UtcNow);
        await using var client = await ConnectAsync(app);

        var result = await client.CallToolAsync("attribute_commit", new Dictionary<string, object?> { ["sha"] = prefix });

        result.IsError.Should().BeTrue();
        Text(result).Should().Contain("is ambiguous").And.Contain(first).And.Contain(second);
    }
}
