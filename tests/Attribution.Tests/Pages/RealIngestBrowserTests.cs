using System.Text.RegularExpressions;
using Attribution.Linking;
using Attribution.Tests.EndToEnd;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Attribution.Tests.Hosting;

namespace Attribution.Tests.Pages;

/// <summary>
/// The dashboard in a real browser over data that arrived only through the real ingest paths: a real Claude Code
/// transcript posted to the import endpoint, the push and the PR as signed GitHub deliveries, then the attribution pass.
/// </summary>
[Collection("browser")]
public sealed class RealIngestBrowserTests : IAsyncLifetime
{
    private AttributionApp _host = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _host = await DashboardSeed.StartHostAsync(TestProviders.Sqlite, seed: false, SignedWebhookClient.AllSecrets);
        using var http = _host.CreateHttpClient();
        var hooks = new SignedWebhookClient(http);
        (await hooks.GitHubAsync("push", RealPathsTests.Push())).EnsureSuccessStatusCode();
        (await hooks.GitHubAsync("pull_request", RealPathsTests.PullRequest(91))).EnsureSuccessStatusCode();
        using var transcript = new ByteArrayContent(FixtureFiles.ReadFixture("sessions/claude-code/entire-edit-commit-push.jsonl"));
        transcript.Headers.ContentType = new("application/x-ndjson");
        (await http.PostAsync("/api/sessions/import?agent=claude-code&repo=entireio/cli", transcript)).EnsureSuccessStatusCode();
        for (var i = 0; i < 200 && !(await http.GetStringAsync("/api/pr-outcomes?repo=entireio/cli")).Contains("\"number\":91", StringComparison.Ordinal); i++)
        {
            await Task.Delay(50);
        }

        await _host.Services.GetRequiredService<AttributionBackfill>().RunAsync("entireio/cli", TimeSpan.FromDays(3650), null, CancellationToken.None);
        _playwright = await Playwright.CreateAsync();
        _browser = await BrowserFixture.LaunchAsync(_playwright);
    }

    [BrowserFact]
    public async Task YieldToSessionToCommitAndPr_ShowTheChainFromRealIngest()
    {
        var page = await (await _browser.NewContextAsync()).NewPageAsync();
        await page.GotoAsync(new Uri(_host.BaseAddress, "/yield?period=all").ToString());

        await page.SelectOptionAsync("#filter-agent", "claude-code");
        await page.ClickAsync("#apply-filters");
        await page.WaitForURLAsync(new Regex("agent=claude-code"));
        var row = page.Locator($"#session-table tbody tr[data-session='{RealPathsTests.SessionId}']");
        (await row.InnerTextAsync()).Should().Contain("entireio/cli").And.Contain("in-review").And.Contain("#91");
        await row.Locator($"a[href='/sessions/{RealPathsTests.SessionId}']").First.ClickAsync();
        await page.WaitForURLAsync(new Regex("/sessions/"));

        var timeline = await page.Locator("#timeline").InnerTextAsync();
        timeline.Should().Contain("6289e2b").And.Contain("authored").And.Contain("PR #91");
        await page.Locator("#timeline a[href^='/commits/6289e2b']").First.ClickAsync();
        await page.WaitForURLAsync(new Regex("/commits/"));
        (await page.ContentAsync()).Should().Contain(RealPathsTests.SessionId).And.Contain("Show wingman status");

        await page.GotoAsync(new Uri(_host.BaseAddress, "/prs/github/entireio/cli/91").ToString());
        (await page.ContentAsync()).Should().Contain("Wingman status").And.Contain(RealPathsTests.SessionId[..8]);
        await BrowserFixture.ScreenshotAsync(page, "pr-real-ingest");
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _host.DisposeAsync();
    }
}
