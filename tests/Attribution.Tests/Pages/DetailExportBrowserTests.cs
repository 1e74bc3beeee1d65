using System.Net;
using System.Text.Json;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Pages;

/// <summary>The session, commit and PR pages export each table they show: as many rows as the page's table, the same ids.</summary>
[Collection("browser")]
public sealed class DetailExportBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    public static TheoryData<string, string, string> Tables() => new()
    {
        { "/sessions/" + DashboardSeed.Merged, "commits", "#commits tbody tr" },
        { "/sessions/" + DashboardSeed.Merged, "prs", "#prs tbody tr" },
        { "/sessions/" + DashboardSeed.Merged, "ci-runs", "#ci tbody tr" },
        { "/sessions/" + DashboardSeed.Merged, "touches", "#touches tbody tr" },
        { "/sessions/" + DashboardSeed.InReview, "ci-runs", "#ci tbody tr" },
        { "/commits/" + DashboardSeed.C1, "sessions", "#sessions ol.timeline > li" },
        { "/commits/" + DashboardSeed.C1, "prs", "#prs ul.plain > li" },
        { "/commits/" + DashboardSeed.C1, "files", "#files tbody tr" },
        { "/commits/" + DashboardSeed.C3, "touches", "#touches tbody tr" },
        { "/prs/github/acme/widgets/42", "sessions", "#sessions ol.timeline > li" },
        { "/prs/github/acme/widgets/42", "commits", "#commits tbody tr" },
        { "/prs/github/acme/widgets/42", "ci-runs", "#ci tbody tr" },
        { "/prs/github/acme/widgets/42", "touches", "#touches tbody tr" },
    };

    [BrowserTheory]
    [MemberData(nameof(Tables))]
    public async Task CsvExport_HasAsManyRowsAsThePagesTable(string path, string table, string rows)
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url(path));
        var shown = await page.Locator(rows).CountAsync();
        var href = await page.Locator($"#exports a[data-table='{table}']").GetAttributeAsync("href");

        using var client = fixture.Host.CreateHttpClient();
        using var response = await client.GetAsync(href);

        shown.Should().BeGreaterThan(0, "the seed gives this table rows");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(shown + 1);
    }

    [BrowserFact]
    public async Task JsonExport_HoldsEveryTableOfThePage()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url("/sessions/" + DashboardSeed.Merged));
        var href = await page.Locator("#export-json").GetAttributeAsync("href");

        using var client = fixture.Host.CreateHttpClient();
        var doc = JsonDocument.Parse(await client.GetStringAsync(href)).RootElement;

        doc.EnumerateObject().Select(p => p.Name).Should().Equal("commits", "prs", "ci-runs", "touches", "feedback");
        doc.GetProperty("commits")[0].GetProperty("Commit").GetString().Should().Be(DashboardSeed.C1, "exports carry full shas");
        doc.GetProperty("commits")[0].GetProperty("Link").GetString().Should().Be("authored");
    }

    [Theory]
    [InlineData("/sessions/" + DashboardSeed.Merged + "?format=csv&table=nope")]
    [InlineData("/sessions/" + DashboardSeed.Merged + "?format=csv")]
    [InlineData("/prs/github/acme/widgets/42?format=csv&table=%3Cscript%3E")]
    public async Task CsvExport_WithoutAKnownTable_Is400NamingTheTables(string path)
    {
        await using var host = await DashboardSeed.StartHostAsync(TestProviders.Sqlite, seed: true);
        using var client = host.CreateHttpClient();

        using var response = await client.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("commits").And.Contain("ci-runs");
    }

    [Fact]
    public async Task Export_OfAnUnknownCommit_IsStillTheNotFoundPage()
    {
        await using var host = await DashboardSeed.StartHostAsync(TestProviders.Sqlite, seed: true);
        using var client = host.CreateHttpClient();

        using var response = await client.GetAsync("/commits/" + new string('e', 40) + "?format=csv&table=files");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
    }
}
