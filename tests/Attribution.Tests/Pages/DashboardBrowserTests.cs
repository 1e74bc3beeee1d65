using Attribution.Tests.Infrastructure;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Attribution.Tests.Hosting;

namespace Attribution.Tests.Pages;

[Collection("browser")]
public sealed class DashboardBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static async Task<int> SumCountsAsync(IPage page, string selector) =>
        await page.EvalOnSelectorAllAsync<int>(selector, "els => els.reduce((n, e) => n + Number(e.getAttribute('data-count')), 0)");

    [BrowserFact]
    public async Task Yield_ThirtyDays_ListsEverySeededSession()
    {
        var page = await fixture.NewPageAsync();

        var response = await page.GotoAsync(fixture.Url("/yield?period=30d"));

        response!.Status.Should().Be(200);
        (await page.Locator("#session-table tbody tr[data-session]").CountAsync()).Should().Be(7);
        (await page.Locator("#total-sessions .value").InnerTextAsync()).Should().Be("7");
        (await page.Locator("#total-merged .value").InnerTextAsync()).Should().Be("2");
        (await page.Locator("#total-cost-per-pr .value").InnerTextAsync()).Should().Be("$2.65");
        await BrowserFixture.ScreenshotAsync(page, "yield");
    }

    [BrowserFact]
    public async Task Yield_ApplyAgentFilter_ChangesUrlAndRows()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url("/yield?period=30d"));

        await page.SelectOptionAsync("#filter-agent", "codex");
        await page.ClickAsync("#apply-filters");
        await page.WaitForURLAsync(new Regex("agent=codex"));

        page.Url.Should().Contain("period=30d");
        var ids = await page.Locator("#session-table tbody tr[data-session]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.session)");
        ids.Should().BeEquivalentTo([DashboardSeed.InReview, DashboardSeed.Abandoned]);
        (await page.Locator("#groups tbody tr").CountAsync()).Should().Be(1);
    }

    [BrowserFact]
    public async Task Yield_PeriodToday_ShowsOnlyTodaysSession()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url("/yield?period=30d"));

        await page.ClickAsync("nav.periods >> text=Today");
        await page.WaitForURLAsync(new Regex("period=today"));

        var ids = await page.Locator("#session-table tbody tr[data-session]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.session)");
        ids.Should().Equal(DashboardSeed.NoRepo);
    }

    [BrowserFact]
    public async Task Yield_SortByCostHeader_PutsMostExpensiveFirstAndKeepsSortInUrl()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url("/yield?period=30d"));

        await page.ClickAsync("#session-table thead a[data-sort='cost']");
        await page.WaitForURLAsync(new Regex("sort=-cost"));

        (await page.Locator("#session-table tbody tr[data-session]").First.GetAttributeAsync("data-session")).Should().Be(DashboardSeed.Reverted);
        (await page.Locator("#session-table thead th[aria-sort='descending'] a").GetAttributeAsync("data-sort")).Should().Be("cost");
    }

    [BrowserFact]
    public async Task Yield_OutcomeChart_HasOneMarkPerSeededSessionByClass()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url("/yield?period=30d"));

        (await SumCountsAsync(page, "#outcome-chart rect.seg")).Should().Be(7);
        (await SumCountsAsync(page, "#outcome-chart rect.seg[data-outcome='merged']")).Should().Be(2);
        (await SumCountsAsync(page, "#outcome-chart rect.seg[data-outcome='reverted']")).Should().Be(1);
        (await SumCountsAsync(page, "#outcome-chart rect.seg[data-outcome='no-repo']")).Should().Be(1);
        var costs = await page.Locator("#cost-chart rect.cost").EvaluateAllAsync<string[]>("bars => bars.map(b => b.dataset.outcome + '=' + b.dataset.cost)");
        costs.Should().Contain(["merged=2.1", "reverted=2", "in-review=0.8", "no-repo=0"]);
    }

    [BrowserFact]
    public async Task Yield_FollowSessionLink_ShowsTimelineWithEvidence()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url("/yield?period=30d"));

        await page.ClickAsync($"tr[data-session='{DashboardSeed.Merged}'] a.session-link");
        await page.WaitForURLAsync(new Regex("/sessions/" + DashboardSeed.Merged));

        (await page.Locator("#session-outcome").InnerTextAsync()).Should().Contain("merged");
        var timeline = await page.Locator("#timeline").InnerTextAsync();
        timeline.Should().Contain("Commit 1111111").And.Contain("PR #42 merged").And.Contain("CI success").And.Contain("Touched later (other)");
        (await page.Locator("#timeline pre.evidence").First.TextContentAsync()).Should().Contain("commit-output");
        (await page.Locator("#feedback").InnerTextAsync()).Should().Contain("No review feedback has been resolved to this session");
        await BrowserFixture.ScreenshotAsync(page, "session");
    }

    [BrowserFact]
    public async Task CommitPage_LinkedCommit_ShowsSessionPrAndCi()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url("/sessions/" + DashboardSeed.Merged));

        await page.ClickAsync("#commits a:has-text('1111111')");
        await page.WaitForURLAsync(new Regex("/commits/" + DashboardSeed.C1));

        (await page.Locator("#commit-subject").InnerTextAsync()).Should().Be("Add widget sorting");
        (await page.Locator("#sessions").InnerTextAsync()).Should().Contain("Sort widgets").And.Contain("authored");
        (await page.Locator("#sessions a.session-name").GetAttributeAsync("href")).Should().Be("/sessions/" + DashboardSeed.Merged);
        (await page.Locator("#prs").InnerTextAsync()).Should().Contain("#42");
        (await page.Locator("#ci").InnerTextAsync()).Should().Contain("success");
    }

    [BrowserFact]
    public async Task PrPage_MergedPr_ShowsSessionsCommitsAndTouches()
    {
        var page = await fixture.NewPageAsync();

        var response = await page.GotoAsync(fixture.Url("/prs/github/acme/widgets/42"));

        response!.Status.Should().Be(200);
        (await page.Locator("#pr-title").InnerTextAsync()).Should().Be("Sort widgets by size");
        (await page.Locator("#pr-state").InnerTextAsync()).Should().Contain("merged");
        (await page.Locator("#sessions").InnerTextAsync()).Should().Contain("Sort widgets").And.Contain("pushed-head-branch");
        (await page.Locator("#sessions a.session-name").GetAttributeAsync("href")).Should().Be("/sessions/" + DashboardSeed.Merged);
        (await page.Locator("#touches tbody tr").CountAsync()).Should().Be(1);
        (await page.Locator("a.ext").GetAttributeAsync("rel")).Should().Be("noopener noreferrer");
        await BrowserFixture.ScreenshotAsync(page, "pr");
    }

    [BrowserFact]
    public async Task PrPage_ScriptInTitle_RendersAsTextAndRunsNothing()
    {
        var page = await fixture.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, dialog) =>
        {
            dialogs++;
            _ = dialog.DismissAsync();
        };

        await page.GotoAsync(fixture.Url("/prs/github/acme/widgets/43"));
        await page.GotoAsync(fixture.Url("/sessions/" + DashboardSeed.InReview));
        await page.GotoAsync(fixture.Url("/yield?period=30d"));

        dialogs.Should().Be(0);
        (await page.Locator($"tr[data-session='{DashboardSeed.InReview}'] a[title]").GetAttributeAsync("title")).Should().Be(DashboardSeed.XssTitle);
        await page.GotoAsync(fixture.Url("/prs/github/acme/widgets/43"));
        (await page.Locator("#pr-title").InnerTextAsync()).Should().Be(DashboardSeed.XssTitle);
        (await page.Locator("script").CountAsync()).Should().Be(0);
        (await page.Locator("a[href^='javascript:']").CountAsync()).Should().Be(0, "a CI run's javascript: URL must not become a link");
        dialogs.Should().Be(0);
    }

    [BrowserFact]
    public async Task UnknownSession_Shows404Page()
    {
        var page = await fixture.NewPageAsync();

        var response = await page.GotoAsync(fixture.Url("/sessions/does-not-exist"));

        response!.Status.Should().Be(404);
        (await page.Locator("h1").InnerTextAsync()).Should().Be("No session with that id");
        (await page.Locator("header.top nav a").CountAsync()).Should().Be(9, "the 404 keeps the layout");
        (await page.Locator("header.top #search-q").CountAsync()).Should().Be(1, "the search box is on every page");
    }

    [BrowserFact]
    public async Task UnknownCommitAndPr_Show404Pages()
    {
        var page = await fixture.NewPageAsync();

        var commit = await page.GotoAsync(fixture.Url("/commits/" + new string('e', 40)));
        var pr = await page.GotoAsync(fixture.Url("/prs/github/acme/widgets/999"));

        commit!.Status.Should().Be(404);
        pr!.Status.Should().Be(404);
        (await page.Locator("h1").InnerTextAsync()).Should().Be("No pull request at that address");
    }

    [BrowserFact]
    public async Task Deliveries_ListsRecentDeliveriesWithReason()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync(fixture.Url("/deliveries"));

        (await page.Locator("#deliveries tbody tr").CountAsync()).Should().Be(2);
        (await page.Locator("#deliveries tbody tr[data-status='failed']").InnerTextAsync()).Should().Contain("commitSha is not 40 hex");
    }

    [BrowserFact]
    public async Task Yield_PhoneViewport_PageDoesNotScrollSideways()
    {
        var page = await fixture.NewPageAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, IsMobile = true });

        await page.GotoAsync(fixture.Url("/yield?period=30d"));

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        overflow.Should().BeLessThanOrEqualTo(0, "wide tables scroll inside their own box");
        await BrowserFixture.ScreenshotAsync(page, "yield-phone");
    }

    [BrowserFact]
    public async Task Yield_FirstTab_FocusesSkipLink()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url("/yield?period=30d"));

        await page.Keyboard.PressAsync("Tab");

        (await page.EvaluateAsync<string>("() => document.activeElement.textContent")).Should().Be("Skip to content");
    }

    [BrowserFact]
    public async Task Root_RedirectsToYield()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync(fixture.Url("/"));

        new Uri(page.Url).AbsolutePath.Should().Be("/yield");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Yield");
    }
}
