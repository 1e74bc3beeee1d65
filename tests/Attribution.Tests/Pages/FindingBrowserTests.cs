using System.Text.RegularExpressions;
using Attribution.Tests.Infrastructure;
using Microsoft.Playwright;
using Attribution.Tests.Hosting;

namespace Attribution.Tests.Pages;

/// <summary>The header search box, the list pages' filters and their CSV export, in Chromium.</summary>
[Collection("browser")]
public sealed class FindingBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static async Task SearchAsync(IPage page, string text)
    {
        await page.FillAsync("#search-q", text);
        await page.PressAsync("#search-q", "Enter");
    }

    [BrowserFact]
    public async Task HeaderSearch_ShaPrefix_OpensTheCommit()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url("/yield"));

        await SearchAsync(page, "33333");
        await page.WaitForURLAsync(new Regex("/commits/3{40}"));

        (await page.Locator("h1").InnerTextAsync()).Should().Contain("3333333");
        (await page.ContentAsync()).Should().Contain("Rewrite widget parser");
    }

    [BrowserFact]
    public async Task HeaderSearch_SessionPrefix_OpensTheSessionWithItsTitle()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url("/commits"));

        await SearchAsync(page, "sess-mer");
        await page.WaitForURLAsync(new Regex("/sessions/" + DashboardSeed.Merged + "$"));

        (await page.Locator(".page-head .lede").InnerTextAsync()).Should().Be("Sort widgets");
        await BrowserFixture.ScreenshotAsync(page, "session");
    }

    [BrowserFact]
    public async Task HeaderSearch_AmbiguousBranch_ListsEveryMatch()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url("/sessions"));

        await SearchAsync(page, "feat/x");
        await page.WaitForURLAsync(new Regex("/search\\?q=feat"));

        (await page.Locator("#hits li[data-kind='session']").CountAsync()).Should().Be(7);
        (await page.Locator("#hits li[data-kind='pull request']").CountAsync()).Should().Be(4);
        await BrowserFixture.ScreenshotAsync(page, "search");
    }

    [BrowserFact]
    public async Task SessionsList_FilterByAgent_KeepsOnlyThatAgentsRows()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url("/sessions"));
        (await page.Locator("#session-list tbody tr").CountAsync()).Should().Be(7);
        await BrowserFixture.ScreenshotAsync(page, "sessions");

        await page.SelectOptionAsync("#filter-agent", "codex");
        await page.ClickAsync("#apply-filters");
        await page.WaitForURLAsync(new Regex("agent=codex"));

        var agents = await page.Locator("#session-list tbody tr td:nth-child(4)").AllInnerTextsAsync();
        agents.Should().Equal("codex", "codex");
        (await page.Locator("#session-list tbody tr td:nth-child(2)").AllInnerTextsAsync()).Should().Contain("Cache lookups");
    }

    [BrowserFact]
    public async Task CommitsList_Screenshot_AndPrsList_Screenshot()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url("/commits"));
        (await page.Locator("#commit-list tbody tr").CountAsync()).Should().Be(8);
        await BrowserFixture.ScreenshotAsync(page, "commits");

        await page.GotoAsync(fixture.Url("/prs"));
        (await page.Locator("#pr-list tbody tr").CountAsync()).Should().Be(4);
        await BrowserFixture.ScreenshotAsync(page, "prs");
    }

    [BrowserFact]
    public async Task CsvExport_EqualsThePagesRows()
    {
        foreach (var (path, table) in new[] { ("/sessions?repo=acme%2Fwidgets", "#session-list"), ("/commits?outcome=linked", "#commit-list"), ("/prs", "#pr-list") })
        {
            var page = await fixture.NewPageAsync();
            await page.GotoAsync(fixture.Url(path));
            var shown = await page.EvalOnSelectorAsync<string[][]>(table,
                "t => [...t.querySelectorAll('tr')].map(r => [...r.querySelectorAll('th,td')].map(c => c.textContent.trim()))");
            var href = await page.GetAttributeAsync("#export-csv", "href");

            var csv = await page.EvaluateAsync<string>("async h => (await fetch(h)).text()", href);

            ParseCsv(csv).Should().BeEquivalentTo(shown, o => o.WithStrictOrdering(), path);
        }
    }

    /// <summary>A small RFC 4180 reader (quoted fields, doubled quotes), enough to compare with the table.</summary>
    private static List<string[]> ParseCsv(string csv)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var ch = csv[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < csv.Length && csv[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') { quoted = false; }
                else { field.Append(ch); }
            }
            else if (ch == '"') { quoted = true; }
            else if (ch == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (ch == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n') { row.Add(field.ToString()); field.Clear(); rows.Add([.. row]); row.Clear(); i++; }
            else { field.Append(ch); }
        }

        return rows;
    }
}
