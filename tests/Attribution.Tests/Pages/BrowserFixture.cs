using Attribution.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Attribution.Tests.Pages;

/// <summary>
/// Debian's Chromium driven by Playwright (no browser download: <c>/usr/bin/chromium</c> or
/// <c>ATTRIBUTION_BROWSER</c>), plus a seeded SQLite host it browses.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public AttributionApp Host { get; private set; } = null!;

    public static string ScreenshotDirectory { get; } = Path.Combine(FixtureFiles.RepositoryRoot, "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        Host = await DashboardSeed.StartHostAsync(TestProviders.Sqlite, seed: true);
        if (!BrowserAvailability.ShouldRun)
        {
            return; // every browser test is skipped; see BrowserFactAttribute
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchAsync(_playwright);
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserAvailability.ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });

    public async Task<IPage> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        var context = await Browser.NewContextAsync(options ?? new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        return await context.NewPageAsync();
    }

    public string Url(string path) => new Uri(Host.BaseAddress, path).ToString();

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}
