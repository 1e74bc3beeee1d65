using System.Net;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Attribution.Tests.Dashboard;

/// <summary>
/// The real host on Kestrel at 127.0.0.1 with a free port (a browser cannot reach TestServer), on a temp
/// database of one provider, with the clock fixed at <see cref="DashboardSeed.Now"/>.
/// </summary>
public sealed class DashboardHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    private DashboardHost(TestDatabase database, IDictionary<string, string?> settings)
    {
        Database = database;
        _settings = new Dictionary<string, string?>(database.Settings, StringComparer.OrdinalIgnoreCase)
        {
            ["Attribution:Sessions:Watch"] = "false",
            // The seed is written after the host starts: a background attribution pass would recompute its links.
            ["Attribution:Linking:Background"] = "false",
        };
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }

        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    public TestDatabase Database { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<DashboardHost> StartAsync(string provider, bool seed, IDictionary<string, string?>? settings = null)
    {
        var database = await TestDatabase.CreateEmptyAsync(provider);
        var host = new DashboardHost(database, settings ?? new Dictionary<string, string?>());
        host.StartServer();
        var addresses = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        host.BaseAddress = new Uri(addresses.First(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));
        if (seed)
        {
            await DashboardSeed.SeedAsync(host.Services.GetRequiredService<IDbConnectionFactory>());
            // The seed writes rows directly: say so, as every store write does, so no report computed at start-up is reused.
            host.Services.GetRequiredService<Attribution.Common.ChangeSignal>().Notify("seed");
        }

        return host;
    }

    /// <summary>A plain client of the real server (optionally with an Authorization header).</summary>
    public HttpClient CreateHttpClient(System.Net.Http.Headers.AuthenticationHeaderValue? authorization = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = authorization;
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(DashboardSeed.Clock()));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }
}
