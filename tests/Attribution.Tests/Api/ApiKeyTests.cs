using System.Net;
using System.Net.Http.Headers;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Hosting;
using Attribution.Tests.Mcp;

namespace Attribution.Tests.Api;

/// <summary>A host with ATTRIBUTION_API_KEY set.</summary>
public sealed class ApiKeyFixture : AppFixture
{
    public const string Key = "surfaces-test-key";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Attribution:Security:ApiKey"] = Key };
}

public sealed class ApiKeyTests(ApiKeyFixture fixture) : IClassFixture<ApiKeyFixture>
{
    public static IEnumerable<object[]> Paths()
    {
        foreach (var provider in TestProviders.All.Select(p => (string)p[0]))
        {
            foreach (var path in new[] { "/api/attribution/commit/abcdef1", "/api/attribution/session/x", "/api/pr-outcomes", "/api/ci-runs" })
            {
                yield return [provider, path];
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Api_WithoutBearer_Answers401(string provider, string path)
    {
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Api_WithBearer_Answers(string provider)
    {
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKeyFixture.Key);

        using var response = await client.GetAsync("/api/pr-outcomes");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Mcp_WithoutBearer_Answers401(string provider)
    {
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Mcp_WithBearer_ListsTools(string provider)
    {
        var app = await fixture.ForAsync(provider);
        await using var client = await McpToolsTests.ConnectAsync(app, ApiKeyFixture.Key);

        var tools = await client.ListToolsAsync();

        tools.Should().HaveCount(6);
    }
}
