using Attribution.Tests.Infrastructure;
using Microsoft.Playwright;
using Attribution.Tests.Hosting;

namespace Attribution.Tests.Pages;

/// <summary>No table column is cut at a 1,400 px desktop or a 390 px phone: a table fits, or scrolls inside its own container.</summary>
[Collection("browser")]
public sealed class LayoutBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    public static TheoryData<string, int> Pages()
    {
        var data = new TheoryData<string, int>();
        foreach (var width in new[] { 1400, 390 })
        {
            foreach (var path in new[]
            {
                "/yield?period=30d", "/sessions", "/commits", "/prs", "/sessions/" + DashboardSeed.Merged, "/commits/" + DashboardSeed.C1,
                "/prs/github/acme/widgets/42", "/providers", "/calibration", "/deliveries", "/search?q=feat%2Fx",
                "/team?period=all", "/team?period=all&repo=acme%2Fwidgets",
            })
            {
                data.Add(path, width);
            }
        }

        return data;
    }

    // For each cell: its right edge must be within the visible right edge of its nearest horizontally scrolling
    // ancestor (whose own scroll reaches it), or, with none, within the viewport; clipping by overflow:hidden counts as cut.
    private const string ClippedCells = """
        () => {
          const out = [];
          const vw = document.documentElement.clientWidth;
          for (const cell of document.querySelectorAll('th, td')) {
            const r = cell.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue;
            let el = cell.parentElement, scroller = null;
            while (el && el !== document.body) {
              const s = getComputedStyle(el);
              if (s.overflowX === 'auto' || s.overflowX === 'scroll') { scroller = el; break; }
              if (s.overflowX === 'hidden' || s.overflowX === 'clip') {
                const b = el.getBoundingClientRect();
                if (r.right > b.right + 1) out.push(`${cell.innerText.slice(0, 20)} hidden by ${el.className}`);
              }
              el = el.parentElement;
            }
            if (scroller) {
              const b = scroller.getBoundingClientRect();
              if (b.right > vw + 1) out.push(`scroll container ${scroller.className} wider than the viewport (${b.right} > ${vw})`);
              const reach = b.left + scroller.clientLeft + scroller.scrollWidth - scroller.scrollLeft;
              if (r.right > reach + 1) out.push(`${cell.innerText.slice(0, 20)} beyond its scroller reach by ${r.right - reach}`);
            } else if (r.right > vw + 1) {
              out.push(`${cell.innerText.slice(0, 20)} right ${Math.round(r.right)} > viewport ${vw}`);
            }
          }
          if (document.documentElement.scrollWidth > vw + 1) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${vw}`);
          return [...new Set(out)].slice(0, 10);
        }
        """;

    [BrowserTheory]
    [MemberData(nameof(Pages))]
    public async Task Page_AtWidth_CutsNoTableColumn(string path, int width)
    {
        var page = await fixture.NewPageAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });

        await page.GotoAsync(fixture.Url(path));

        (await page.EvaluateAsync<string[]>(ClippedCells)).Should().BeEmpty($"{path} at {width} px");
    }

    [BrowserFact]
    public async Task Phone_Screenshots_OfTheListPages()
    {
        var page = await fixture.NewPageAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        await page.GotoAsync(fixture.Url("/sessions"));
        await BrowserFixture.ScreenshotAsync(page, "sessions-phone");
        await page.GotoAsync(fixture.Url("/sessions/" + DashboardSeed.Merged));
        await BrowserFixture.ScreenshotAsync(page, "session-phone");
        (await page.Locator("#search-q").IsVisibleAsync()).Should().BeTrue();
    }

    [BrowserTheory]
    [InlineData("/yield?period=all")]
    [InlineData("/yield?period=30d")]
    [InlineData("/team?period=all")]
    [InlineData("/team?period=365d")]
    [InlineData("/team?period=294d&bucket=week")] // 43 weeks: the last bucket's label sits at the right edge
    [InlineData("/yield?period=2026-01-01")]
    public async Task Charts_Labels_AreAtLeastElevenPixels(string path)
    {
        var page = await fixture.NewPageAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await page.GotoAsync(fixture.Url(path));

        var sizes = await page.EvaluateAsync<double[]>("() => [...document.querySelectorAll('svg text')].map(t => t.getBoundingClientRect().height)");

        sizes.Should().NotBeEmpty().And.OnlyContain(h => h >= 11, "chart labels must be readable");
        var cut = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('svg text')].filter(t => {
                const s = t.closest('svg').getBoundingClientRect(), r = t.getBoundingClientRect();
                return r.left < s.left - 0.5 || r.right > s.right + 0.5;
            }).map(t => t.textContent)
            """);
        cut.Should().BeEmpty("no chart label runs past its chart");
    }
}
