using System.Net;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Operations;

public sealed class OperationsTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Healthz_DatabaseAnswers_Returns200(string provider)
    {
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/healthz");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("\"status\":\"ok\"").And.Contain(provider);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task OpenApi_Document_IsServed(string provider)
    {
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/openapi/v1.json");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadAsStringAsync();
        body.Should().Contain("\"openapi\"").And.Contain("/healthz");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ApiReference_IsBrowsable(string provider)
    {
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/api-reference/v1");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
    }

    [Fact]
    public async Task ApiReference_IsThisProductsOfflineReference()
    {
        var app = await fixture.ForAsync(TestProviders.Sqlite);
        using var client = app.CreateClient();

        var page = await client.GetStringAsync("/api-reference/v1");
        var document = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;

        // The page loads its script from this server, asks for no third-party fonts, and turns the vendor's AI chat,
        // MCP and developer-tools buttons off.
        page.Should().NotContain("fonts.scalar.com").And.NotContain("cdn.jsdelivr.net");
        page.Should().Contain("\"withDefaultFonts\":false").And.Contain("\"showDeveloperTools\":\"never\"");
        page.Should().MatchRegex("\"agent\":\\{\"disabled\":true").And.MatchRegex("\"mcp\":\\{\"disabled\":true");
        var info = document.GetProperty("info");
        info.GetProperty("title").GetString().Should().Be("Attribution API");
        info.GetProperty("description").GetString().Should().Contain("/api/attribution/commit/{sha}");
        var tags = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject())
            .SelectMany(o => o.Value.TryGetProperty("tags", out var t) ? t.EnumerateArray().Select(x => x.GetString()) : [])
            .ToHashSet();
        tags.Should().NotContain(t => t!.EndsWith("Endpoints", StringComparison.Ordinal), "every tag names a feature, not a class");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Metrics_ServesPrometheusText(string provider)
    {
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();
        (await client.GetAsync("/healthz")).Dispose();

        using var response = await client.GetAsync("/metrics");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadAsStringAsync();
        body.Should().Contain("# TYPE http_requests_received_total counter");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task UnknownApiRoute_AnswersProblemDetails(string provider)
    {
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/api/no-such-thing");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }
}
