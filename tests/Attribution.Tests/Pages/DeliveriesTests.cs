using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Attribution.Tests.Hosting;

namespace Attribution.Tests.Pages;

/// <summary>The deliveries page's filters and paging, and replaying a failed delivery (API and page button).</summary>
[Collection("browser")]
public sealed class DeliveriesTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Key = "k3y-for-tests";
    private static readonly string RunSha = new('a', 40);

    /// <summary>A failed generic-CI delivery whose body is kept and valid: replaying it records the run.</summary>
    private static async Task<long> AddFailedCiDeliveryAsync(AttributionApp host, string deliveryId)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"provider":"circleci","repo":"acme/widgets","runId":"{{deliveryId}}","commitSha":"{{RunSha}}","status":"success","workflowName":"build"}""");
        await using var c = await host.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None);
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO webhook_deliveries (receiver, delivery_id, event, action, repo_slug, status, reason, body_sha256, received_ts, processed_ts, attempts)
            VALUES ('ci', @D, 'ci', NULL, 'acme/widgets', 'failed', 'database was locked', 'z', @T, @T, 5) RETURNING id
            """, new { D = deliveryId, T = DashboardSeed.Now.AddHours(-1) });
        await c.ExecuteAsync("INSERT INTO webhook_delivery_bodies (delivery_row_id, body) VALUES (@Id, @Body)", new { Id = id, Body = body });
        return id;
    }

    private static async Task<long> CountRunsAsync(AttributionApp host, string runId)
    {
        await using var c = await host.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None);
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ci_runs WHERE run_id = @R", new { R = runId });
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ReplayApi_FailedDeliveryWithBody_ProcessesItBehindTheKey(string provider)
    {
        await using var host = await DashboardSeed.StartHostAsync(provider, seed: true, new Dictionary<string, string?> { ["Attribution:Security:ApiKey"] = Key });
        var id = await AddFailedCiDeliveryAsync(host, "replay-1");
        using var anonymous = host.CreateHttpClient();
        using var client = host.CreateHttpClient(new AuthenticationHeaderValue("Bearer", Key));

        using var denied = await anonymous.PostAsync($"/api/deliveries/{id}/replay", new StringContent("{}", Encoding.UTF8, "application/json"));
        using var replayed = await client.PostAsync($"/api/deliveries/{id}/replay", new StringContent("{}", Encoding.UTF8, "application/json"));
        using var again = await client.PostAsync($"/api/deliveries/{id}/replay", new StringContent("{}", Encoding.UTF8, "application/json"));
        using var unknown = await client.PostAsync("/api/deliveries/999999/replay", new StringContent("{}", Encoding.UTF8, "application/json"));

        denied.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        replayed.StatusCode.Should().Be(HttpStatusCode.OK, await replayed.Content.ReadAsStringAsync());
        JsonDocument.Parse(await replayed.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString().Should().Be("processed");
        (await CountRunsAsync(host, "replay-1")).Should().Be(1);
        again.StatusCode.Should().Be(HttpStatusCode.Conflict, "a processed delivery is not replayed");
        again.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ReplayApi_FailedDeliveryWithoutBody_Answers409()
    {
        using var client = fixture.Host.CreateHttpClient();
        long id;
        await using (var c = await fixture.Host.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None))
        {
            id = await c.ExecuteScalarAsync<long>("SELECT id FROM webhook_deliveries WHERE delivery_id = 'delivery-def'");
        }

        using var response = await client.PostAsync($"/api/deliveries/{id}/replay", new StringContent("{}", Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await response.Content.ReadAsStringAsync()).Should().Contain("body was not kept");
    }

    [Fact]
    public async Task DeliveriesPage_PastTwoHundred_PagesAndFilters()
    {
        await using var host = await DashboardSeed.StartHostAsync(TestProviders.Sqlite, seed: false);
        await using (var c = await host.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None))
        {
            for (var i = 0; i < 230; i++)
            {
                await c.ExecuteAsync("""
                    INSERT INTO webhook_deliveries (receiver, delivery_id, event, action, repo_slug, status, reason, body_sha256, received_ts, processed_ts, attempts)
                    VALUES (@R, @D, @E, NULL, @Repo, @S, NULL, 'x', @T, @T, 1)
                    """, new { R = i % 2 == 0 ? "github" : "gitlab", D = "d-" + i, E = i % 2 == 0 ? "push" : "Push Hook", Repo = i % 3 == 0 ? "acme/widgets" : "acme/gadgets", S = i % 10 == 0 ? "failed" : "processed", T = DashboardSeed.Now.AddMinutes(-i) });
            }
        }

        using var client = host.CreateHttpClient();
        var first = await client.GetStringAsync("/deliveries");
        var second = await client.GetStringAsync("/deliveries?page=2");
        var failedGithub = await client.GetStringAsync("/deliveries?receiver=github&status=failed&repo=acme/widgets");
        var csv = await client.GetStringAsync("/deliveries?event=push&format=csv");

        Rows(first).Should().Be(200);
        first.Should().Contain("id=\"page-next\"");
        Rows(second).Should().Be(30);
        second.Should().NotContain("id=\"page-next\"").And.Contain("d-229");
        // i % 2 == 0, i % 10 == 0 and i % 3 == 0: i in {0, 30, ..., 210}
        Rows(failedGithub).Should().Be(8);
        csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(116, "a header and the 115 push deliveries, every page");
    }

    private static int Rows(string html) => html.Split("<tr data-status=").Length - 1;

    [BrowserFact]
    public async Task DeliveriesPage_FilterAndReplayButton_ReplayTheFailedDelivery()
    {
        var id = await AddFailedCiDeliveryAsync(fixture.Host, "replay-browser");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(fixture.Url("/deliveries"));

        await page.SelectOptionAsync("#filter-status", "failed");
        await page.ClickAsync("#apply-filters");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("status=failed"));
        (await page.Locator("#deliveries tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.status)")).Should().OnlyContain(s => s == "failed").And.HaveCount(2);
        await BrowserFixture.ScreenshotAsync(page, "deliveries");

        await page.ClickAsync($"tr[data-id='{id}'] .replay-button");
        await page.WaitForSelectorAsync("#replay-message");

        (await page.Locator("#replay-message").InnerTextAsync()).Should().Contain("replay-browser replayed: now processed");
        page.Url.Should().Contain("status=failed");
        (await page.Locator($"tr[data-id='{id}']").CountAsync()).Should().Be(0, "it is processed now, so the failed filter leaves it out");
        (await CountRunsAsync(fixture.Host, "replay-browser")).Should().Be(1);
    }
}
