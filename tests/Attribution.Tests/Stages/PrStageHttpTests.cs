using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Stages;

public sealed class PrStageHttpTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Api_RecordedPr_ReturnsItsStages(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var seed = new StageGraphSeeder(app.Database.Connections);
        await seed.SessionAsync("api-s1", "claude-code", "claude-opus-4-6", 0.42, 100, 100, repo: "acme/api");
        await seed.PrAsync(5, "open", "2026-11-01T00:00:00.0000000Z", null, title: "<script>alert(1)</script>", repo: "acme/api");
        await seed.CommitLinkAsync(5, "cccccccccccccccccccccccccccccccccccccccc", "api-s1", "authored", 1.0, repo: "acme/api");
        using var client = app.CreateClient();

        var doc = await client.GetFromJsonAsync<JsonElement>("/api/pr-attribution?repo=Acme/API&pr=5");
        var all = await client.GetFromJsonAsync<JsonElement>("/api/pr-attribution?repo=acme/api");
        using var page = await client.GetAsync("/providers");

        doc.GetProperty("number").GetInt32().Should().Be(5);
        var impl = doc.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("stage").GetString() == "implementation");
        impl.GetProperty("shows").GetString().Should().Be("derived");
        impl.GetProperty("providers")[0].GetString().Should().Be("claude");
        doc.GetProperty("cost").GetProperty("usd").GetDecimal().Should().Be(0.42m);
        all.GetProperty("providers")[0].GetProperty("provider").GetString().Should().Be("claude");
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        html.Should().Contain("&lt;script&gt;alert(1)&lt;/script&gt;").And.NotContain("<script>alert(1)</script>");
        html.Should().Contain("id=\"provider-totals\"");
    }

    [Theory]
    [InlineData("/api/pr-attribution?pr=abc")]
    [InlineData("/api/pr-attribution?pr=-3")]
    [InlineData("/api/pr-attribution?stage=deploy")]
    [InlineData("/api/pr-attribution?repo=../../etc")]
    [InlineData("/api/pr-attribution?limit=5000")]
    public async Task Api_BadQuery_Is400ValidationProblem(string url)
    {
        var app = await fixture.ForAsync(TestProviders.Sqlite);
        using var client = app.CreateClient();

        using var response = await client.GetAsync(url);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task Api_UnknownPr_Is404()
    {
        var app = await fixture.ForAsync(TestProviders.Sqlite);
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/api/pr-attribution?repo=nobody/here&pr=12345");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task Cli_NonNumericPr_ExitsTwo()
    {
        var result = await CliProcess.RunAsync(["pr-attribution", "--pr", "abc", "--view"]);

        result.ExitCode.Should().Be(2);
        result.StdErr.Should().Contain("abc");
    }
}
