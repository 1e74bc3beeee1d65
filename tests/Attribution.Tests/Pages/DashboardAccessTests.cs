using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Attribution.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Attribution.Tests.Pages;

/// <summary>The empty-database guide and HTTP Basic auth of the pages, each on its own host.</summary>
[Collection("browser")]
public sealed class DashboardAccessTests : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        if (BrowserAvailability.ShouldRun)
        {
            _playwright = await Playwright.CreateAsync();
            _browser = await BrowserFixture.LaunchAsync(_playwright);
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    [BrowserFact]
    public async Task Yield_EmptyDatabase_ShowsHowToGetDataIn()
    {
        await using var host = await DashboardSeed.StartHostAsync(TestProviders.Sqlite, seed: false);
        var page = await (await _browser.NewContextAsync()).NewPageAsync();

        await page.GotoAsync(new Uri(host.BaseAddress, "/yield").ToString());

        var guide = await page.Locator("#empty-guide").InnerTextAsync();
        guide.Should().Contain("attribution ingest sessions")
            .And.Contain("attribution ingest git --path DIR --repo owner/name")
            .And.Contain("attribution ingest github --repo owner/name")
            .And.Contain(host.BaseAddress.ToString().TrimEnd('/') + "/api/webhooks/github")
            .And.Contain("/api/webhooks/gitlab").And.Contain("/api/webhooks/ci")
            .And.Contain("ATTRIBUTION_GITHUB_WEBHOOK_SECRET").And.Contain("ATTRIBUTION_GITLAB_WEBHOOK_TOKEN").And.Contain("ATTRIBUTION_CI_WEBHOOK_SECRET");
        (await page.Locator("#empty-guide a[href='/api-reference/v1']").CountAsync()).Should().Be(1);
        await BrowserFixture.ScreenshotAsync(page, "empty");
    }

    [BrowserFact]
    public async Task Pages_ApiKeySet_NeedBasicAuthWithKeyAsPassword()
    {
        await using var host = await DashboardSeed.StartHostAsync(TestProviders.Sqlite, seed: true,
            new Dictionary<string, string?> { ["Attribution:Security:ApiKey"] = "k3y-for-tests" });
        var url = new Uri(host.BaseAddress, "/yield?period=30d").ToString();

        // Chromium answers a 401 challenge it cannot meet with a navigation error, so status codes are read over plain HTTP.
        var anonymous = await (await _browser.NewContextAsync()).NewPageAsync();
        var browserDenied = async () => await anonymous.GotoAsync(url);
        using var plain = host.CreateHttpClient();
        using var denied = await plain.GetAsync("/yield?period=30d");
        using var wrong = host.CreateHttpClient(new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("me:nope"))));
        using var deniedWrong = await wrong.GetAsync("/yield?period=30d");
        var signedIn = await (await _browser.NewContextAsync(new BrowserNewContextOptions { HttpCredentials = new HttpCredentials { Username = "me", Password = "k3y-for-tests" } })).NewPageAsync();
        var allowed = await signedIn.GotoAsync(url);

        (await browserDenied.Should().ThrowAsync<PlaywrightException>()).Which.Message.Should().Contain("ERR_INVALID_AUTH_CREDENTIALS");
        denied.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await denied.Content.ReadAsStringAsync()).Should().NotContain("session-table");
        deniedWrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        deniedWrong.Headers.WwwAuthenticate.ToString().Should().StartWith("Basic");
        allowed!.Status.Should().Be(200);
        (await signedIn.Locator("#session-table tbody tr[data-session]").CountAsync()).Should().Be(7);
    }

    [Fact]
    public async Task ApiYield_ApiKeySet_NeedsBearer()
    {
        await using var host = await DashboardSeed.StartHostAsync(TestProviders.Sqlite, seed: false,
            new Dictionary<string, string?> { ["Attribution:Security:ApiKey"] = "k3y-for-tests" });
        using var anonymous = host.CreateHttpClient();
        using var basic = host.CreateHttpClient(new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("x:k3y-for-tests"))));
        using var bearer = host.CreateHttpClient(new AuthenticationHeaderValue("Bearer", "k3y-for-tests"));

        (await anonymous.GetAsync("/api/yield")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await basic.GetAsync("/api/yield")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await bearer.GetAsync("/api/yield")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await basic.GetAsync("/deliveries")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Pages_NoApiKey_AreOpen()
    {
        await using var host = await DashboardSeed.StartHostAsync(TestProviders.Sqlite, seed: false);
        using var client = host.CreateHttpClient();

        using var response = await client.GetAsync("/yield");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("id=\"empty-guide\"");
    }
}

[CollectionDefinition("browser")]
public sealed class BrowserCollection;
