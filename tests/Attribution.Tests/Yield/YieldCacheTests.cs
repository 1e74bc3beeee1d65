using System.Net.Http.Json;
using System.Text.Json;
using Attribution.Hosting;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Attribution.Common;
using Attribution.Tests.Pages;

namespace Attribution.Tests.Yield;

public sealed class YieldCacheTests
{
    private static async Task<int> SessionsAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/yield?since=30d&sort=cost")).GetProperty("totals").GetProperty("sessions").GetInt32();

    private static async Task AddSessionAsync(AttributionApp host)
    {
        await using var connection = await host.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            "INSERT INTO sessions (session_id, agent, started_ts, updated_ts) VALUES ('late-session', 'codex', @T, @T)",
            new { T = DashboardSeed.Now.AddHours(-1) });
    }

    [Fact]
    public async Task ApiYield_NewDataAndChangeSignal_IsCountedAtOnce()
    {
        await using var host = await DashboardSeed.StartHostAsync(TestProviders.Sqlite, seed: true);
        using var client = host.CreateHttpClient();
        (await SessionsAsync(client)).Should().Be(7);

        await AddSessionAsync(host);
        host.Services.GetRequiredService<ChangeSignal>().Notify("sessions");

        (await SessionsAsync(client)).Should().Be(8);
    }

    [Fact]
    public async Task ApiYield_CacheOff_SeesNewDataWithoutSignal()
    {
        await using var host = await DashboardSeed.StartHostAsync(TestProviders.Sqlite, seed: true,
            new Dictionary<string, string?> { ["Attribution:Yield:CacheSeconds"] = "0" });
        using var client = host.CreateHttpClient();
        (await SessionsAsync(client)).Should().Be(7);

        await AddSessionAsync(host);

        (await SessionsAsync(client)).Should().Be(8);
    }

    [Fact]
    public async Task ApiYield_WithinCacheTime_ReusesAggregatesAcrossSortAndPage()
    {
        await using var host = await DashboardSeed.StartHostAsync(TestProviders.Sqlite, seed: true);
        using var client = host.CreateHttpClient();
        (await SessionsAsync(client)).Should().Be(7);

        await AddSessionAsync(host);

        (await client.GetFromJsonAsync<JsonElement>("/api/yield?since=30d&sort=-started&page=1&pageSize=3"))
            .GetProperty("totalSessions").GetInt32().Should().Be(7, "the clock has not moved and nothing signalled a change");
    }
}
