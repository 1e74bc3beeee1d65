using System.Net;
using System.Text;
using System.Text.Json;
using Attribution.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Attribution.Tests.Mcp;

/// <summary>
/// What MCP clients met at <c>/mcp</c> (issue 20), through the official C# SDK client over streamable HTTP; the two
/// wire-level cases (a body that is not JSON, a call without a tool name) are sent as raw HTTP, as a client would.
/// </summary>
public sealed class McpClientFixesTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static string Text(CallToolResult result) => result.Content.OfType<TextContentBlock>().Single().Text;

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostRawAsync(AttributionApp app, string body)
    {
        using var http = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        // Streamable HTTP may answer as an event stream: the JSON-RPC message is the data of its event.
        var json = text.TrimStart().StartsWith('{')
            ? text
            : string.Concat(text.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].Trim()));
        return (response.StatusCode, JsonDocument.Parse(json).RootElement.Clone());
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task GetYield_MoreThan50Sessions_SameDocumentAsTheApi(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var seed = new GraphSeeder(app.Database.Connections);
        var repo = GraphSeeder.NewRepo();
        var start = DateTimeOffset.UtcNow.AddDays(-3);
        for (var i = 0; i < 120; i++)
        {
            await seed.SessionAsync(GraphSeeder.NewSessionId(), "claude-code", "claude-opus-4-6", repo, 0.1, start.AddMinutes(i), start.AddMinutes(i + 5));
        }

        await using var client = await McpToolsTests.ConnectAsync(app);
        using var http = app.CreateClient();

        var tool = JsonDocument.Parse(Text(await client.CallToolAsync("get_yield", new Dictionary<string, object?> { ["since"] = "7d", ["repo"] = repo }))).RootElement;
        var api = JsonDocument.Parse(await http.GetStringAsync($"/api/yield?since=7d&repo={repo}")).RootElement;

        tool.GetProperty("sessions").GetArrayLength().Should().Be(100).And.Be(api.GetProperty("sessions").GetArrayLength());
        tool.GetProperty("pageSize").GetInt32().Should().Be(api.GetProperty("pageSize").GetInt32());
        tool.GetProperty("totalSessions").GetInt32().Should().Be(120);
        tool.GetProperty("sessions").GetRawText().Should().Be(api.GetProperty("sessions").GetRawText());

        // The second page, asked for the same way on both surfaces, holds the remaining 20.
        var page2 = JsonDocument.Parse(Text(await client.CallToolAsync("get_yield",
            new Dictionary<string, object?> { ["since"] = "7d", ["repo"] = repo, ["page"] = 2 }))).RootElement;
        var api2 = JsonDocument.Parse(await http.GetStringAsync($"/api/yield?since=7d&repo={repo}&page=2")).RootElement;
        page2.GetProperty("sessions").GetRawText().Should().Be(api2.GetProperty("sessions").GetRawText());
        page2.GetProperty("sessions").GetArrayLength().Should().Be(20);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ToolErrors_AreTheApiMessageWithoutTheSdkPrefix(string provider)
    {
        var app = await fixture.ForAsync(provider);
        await using var client = await McpToolsTests.ConnectAsync(app);
        using var http = app.CreateClient();
        var sha = GraphSeeder.NewSha();
        var problem = JsonDocument.Parse(await (await http.GetAsync($"/api/attribution/commit/{sha}")).Content.ReadAsStringAsync()).RootElement;

        var commit = await client.CallToolAsync("attribute_commit", new Dictionary<string, object?> { ["sha"] = sha });
        var ci = await client.CallToolAsync("get_ci_runs", new Dictionary<string, object?> { ["status"] = "green" });
        var session = await client.CallToolAsync("attribute_session", new Dictionary<string, object?> { ["id"] = "no-such-session" });

        commit.IsError.Should().BeTrue();
        Text(commit).Should().Be(problem.GetProperty("detail").GetString());
        Text(ci).Should().Be("status must be one of success, failure, cancelled, in_progress, pending, skipped.");
        Text(session).Should().Be("unknown session no-such-session");
        new[] { Text(commit), Text(ci), Text(session) }.Should().NotContain(t => t.Contains("An error occurred", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task MissingOrMistypedArguments_SayWhichAndWhy(string provider)
    {
        var app = await fixture.ForAsync(provider);
        await using var client = await McpToolsTests.ConnectAsync(app);

        var missing = await client.CallToolAsync("attribute_commit", new Dictionary<string, object?> { ["repo"] = "acme/shop" });
        var mistyped = await client.CallToolAsync("attribute_session", new Dictionary<string, object?> { ["id"] = 42 });
        var wrongNumber = await client.CallToolAsync("get_yield", new Dictionary<string, object?> { ["page_size"] = "ten" });
        var fraction = await client.CallToolAsync("list_recent", new Dictionary<string, object?> { ["limit"] = 2.5 });
        var unknown = await client.CallToolAsync("get_ci_runs", new Dictionary<string, object?> { ["sha"] = "abc1234" });

        missing.IsError.Should().BeTrue();
        Text(missing).Should().Be("missing argument 'sha' (a string): Commit sha, full or abbreviated (7-40 hex).");
        Text(mistyped).Should().Be("argument 'id' must be a string, not an integer.");
        Text(wrongNumber).Should().Be("argument 'page_size' must be an integer or null, not a string.");
        Text(fraction).Should().Be("argument 'limit' must be an integer or null, not the number 2.5.");
        Text(unknown).Should().Be("unknown argument 'sha'; get_ci_runs takes commit_sha, status.");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task MalformedJson_IsParseError32700(string provider)
    {
        var app = await fixture.ForAsync(provider);

        var (status, body) = await PostRawAsync(app, """{"jsonrpc":"2.0","id":1,"method":"tools/list",""");

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32700);
        body.GetProperty("id").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ToolCallWithoutName_IsInvalidParams32602(string provider)
    {
        var app = await fixture.ForAsync(provider);

        var (status, body) = await PostRawAsync(app, """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"arguments":{"sha":"abc1234"}}}""");
        var (_, blank) = await PostRawAsync(app, """{"jsonrpc":"2.0","id":"b","method":"tools/call","params":{"name":" "}}""");

        status.Should().Be(HttpStatusCode.OK);
        body.GetProperty("id").GetInt32().Should().Be(7);
        body.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32602);
        body.GetProperty("error").GetProperty("message").GetString().Should().Contain("'name'");
        blank.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32602);

        // Through the SDK client an unknown tool is still a protocol error, not a crash.
        await using var client = await McpToolsTests.ConnectAsync(app);
        var call = () => client.CallToolAsync("no_such_tool", new Dictionary<string, object?>()).AsTask();
        await call.Should().ThrowAsync<McpException>();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ListRecent_SessionsCommitsAndPrsWithFilters(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var graph = await SeededGraph.SeedAsync(new GraphSeeder(app.Database.Connections));
        await using var client = await McpToolsTests.ConnectAsync(app);

        var all = JsonDocument.Parse(Text(await client.CallToolAsync("list_recent", new Dictionary<string, object?> { ["repo"] = graph.Repo }))).RootElement;

        // Default since 7d: both sessions, the five recent commits (not the 20-day-old one), the merged PR.
        all.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("sessionId").GetString()).Should().Equal(graph.AuthoredSession, graph.WeakSession);
        all.GetProperty("sessions")[0].GetProperty("commits").GetInt32().Should().Be(1);
        all.GetProperty("sessions")[1].GetProperty("commits").GetInt32().Should().Be(0, "its only link is below 0.5");
        var shas = all.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("sha").GetString()).ToList();
        shas.Should().HaveCount(5).And.Contain(graph.Sha).And.NotContain(graph.OldSha);
        shas[0].Should().Be(graph.RevertSha, "newest first");
        all.GetProperty("commits").EnumerateArray().Single(c => c.GetProperty("sha").GetString() == graph.Sha).GetProperty("sessions").GetInt32().Should().Be(1);
        all.GetProperty("pullRequests").EnumerateArray().Select(p => p.GetProperty("number").GetInt32()).Should().Equal(SeededGraph.PrNumber);

        var codex = JsonDocument.Parse(Text(await client.CallToolAsync("list_recent",
            new Dictionary<string, object?> { ["repo"] = graph.Repo, ["agent"] = "codex", ["since"] = "30d" }))).RootElement;
        codex.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("sessionId").GetString()).Should().Equal(graph.WeakSession);
        codex.GetProperty("commits").GetArrayLength().Should().Be(0, "codex's link to the commit is below 0.5 and no commit is marked codex");
        codex.GetProperty("pullRequests").GetArrayLength().Should().Be(0);

        var commitsOnly = JsonDocument.Parse(Text(await client.CallToolAsync("list_recent",
            new Dictionary<string, object?> { ["repo"] = graph.Repo, ["kind"] = "commits", ["since"] = "30d", ["limit"] = 2 }))).RootElement;
        commitsOnly.EnumerateObject().Select(p => p.Name).Should().Equal("commits");
        commitsOnly.GetProperty("commits").GetArrayLength().Should().Be(2);

        var bad = await client.CallToolAsync("list_recent", new Dictionary<string, object?> { ["kind"] = "branches", ["since"] = "soon", ["limit"] = 0 });
        bad.IsError.Should().BeTrue();
        Text(bad).Should().Contain("kind must be one of").And.Contain("since:").And.Contain("limit must be from 1 to 100");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resources_DescribedAndReadable(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var graph = await SeededGraph.SeedAsync(new GraphSeeder(app.Database.Connections));
        await using var client = await McpToolsTests.ConnectAsync(app);
        using var http = app.CreateClient();

        var resources = await client.ListResourcesAsync();
        var templates = await client.ListResourceTemplatesAsync();

        resources.Should().ContainSingle(r => r.Uri == "attribution://guide");
        resources.Concat<object>(templates).Should().HaveCount(3);
        resources.Should().OnlyContain(r => !string.IsNullOrWhiteSpace(r.Description));
        templates.Select(t => t.UriTemplate).Should().BeEquivalentTo(["attribution://commits/{sha}", "attribution://sessions/{id}"]);
        templates.Should().OnlyContain(t => !string.IsNullOrWhiteSpace(t.Description) && t.MimeType == "application/json");

        var guide = await client.ReadResourceAsync("attribution://guide");
        guide.Contents.OfType<TextResourceContents>().Single().Text.Should().Contain("list_recent").And.Contain("attribute_commit");

        var commit = await client.ReadResourceAsync($"attribution://commits/{graph.Sha}");
        commit.Contents.OfType<TextResourceContents>().Single().Text.Should().Be(await http.GetStringAsync($"/api/attribution/commit/{graph.Sha}"));
    }
}
