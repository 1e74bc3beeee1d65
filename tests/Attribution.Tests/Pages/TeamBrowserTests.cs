using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Attribution.Tests.Infrastructure;
using Attribution.Yield;
using Microsoft.Playwright;
using Attribution.Tests.Hosting;

namespace Attribution.Tests.Pages;

/// <summary>The team page in Chromium: trend marks against the API's figures, the metric picker, the repository and developer views.</summary>
[Collection("browser")]
public sealed class TeamBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private async Task<JsonElement> ApiAsync(string path)
    {
        using var client = fixture.Host.CreateHttpClient();
        return JsonDocument.Parse(await client.GetStringAsync(path)).RootElement.Clone();
    }

    [BrowserTheory]
    [InlineData("still-good")]
    [InlineData("revert")]
    [InlineData("ci-first-pass")]
    [InlineData("cost-per-merged-pr")]
    public async Task TrendChart_Marks_AreTheApisFigures(string metric)
    {
        var page = await fixture.NewPageAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await page.GotoAsync(fixture.Url("/team?period=all&metric=" + metric));

        var marks = await page.Locator("#trend-chart circle.trend-mark").EvaluateAllAsync<string[]>(
            "ms => ms.map(m => m.dataset.series + '|' + m.dataset.bucket + '|' + m.dataset.value)");

        var api = await ApiAsync("/api/team?since=all");
        var property = metric switch
        {
            "still-good" => "stillGoodRate",
            "revert" => "revertRate",
            "ci-first-pass" => "ciFirstPassRate",
            _ => "costPerMergedPr",
        };
        var labels = api.GetProperty("buckets").EnumerateArray().Select(b => b.GetProperty("label").GetString()).ToList();
        var expected = api.GetProperty("trends").EnumerateArray().SelectMany(s => s.GetProperty("points").EnumerateArray()
                .Select((p, i) => (Name: s.GetProperty("name").GetString(), Bucket: labels[i], Value: p.GetProperty(property))))
            .Where(x => x.Value.ValueKind == JsonValueKind.Number)
            .Select(x => x.Name + "|" + x.Bucket + "|" + x.Value.GetDouble().ToString("R", CultureInfo.InvariantCulture))
            .ToList();
        expected.Should().NotBeEmpty();
        marks.Should().BeEquivalentTo(expected);
        (await page.Locator("#trend-chart").GetAttributeAsync("data-metric")).Should().Be(metric);
        if (metric == "still-good")
        {
            await BrowserFixture.ScreenshotAsync(page, "team");
        }
    }

    [BrowserFact]
    public async Task MetricPicker_AndRepositoryLink_KeepTheOtherFilters()
    {
        var page = await fixture.NewPageAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await page.GotoAsync(fixture.Url("/team?period=all"));
        (await page.Locator("#setups tbody tr").CountAsync()).Should().Be(3);
        (await page.Locator("#trend-chart circle.trend-mark").CountAsync()).Should().BeGreaterThan(0);

        await page.ClickAsync("nav.metrics a[data-metric='fix']");
        await page.WaitForURLAsync(new Regex("metric=fix"));
        (await page.Locator("#trend-chart-title").InnerTextAsync()).Should().StartWith("Fix rate per week");

        await page.ClickAsync("#repos a:text('acme/widgets')");
        await page.WaitForURLAsync(new Regex("repo=acme%2Fwidgets"));
        new Uri(page.Url).Query.Should().Contain("metric=fix").And.Contain("period=all");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Repository acme/widgets");
        (await page.Locator("#total-sessions .value").InnerTextAsync()).Should().Be("5");
        await BrowserFixture.ScreenshotAsync(page, "team-repository");

        await page.ClickAsync("#developers a:text('Dev')");
        await page.WaitForURLAsync(new Regex("developer=dev%40example.com"));
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Developer Dev");
    }

    [BrowserFact]
    public async Task TrendTable_Csv_HoldsTheChartDataRows()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url("/team?period=all"));
        await page.ClickAsync("#trend-section details summary");
        var shown = await page.Locator("#trend tbody tr").EvaluateAllAsync<string[]>(
            "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()).join('|'))");

        using var client = fixture.Host.CreateHttpClient();
        var csv = await client.GetStringAsync(await page.Locator("#export-trend-csv").GetAttributeAsync("href"));

        // No cell of this table holds a comma or a quote, so a CSV line is its cells joined by commas.
        shown.Should().NotBeEmpty();
        csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Replace(',', '|'))
            .Should().Equal(shown, "the export holds the page's rows, cell for cell, in its order");
    }
}
