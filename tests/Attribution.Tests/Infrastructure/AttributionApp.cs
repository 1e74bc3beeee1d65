using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Attribution.Tests.Infrastructure;

/// <summary>
/// The one test host: the real application (serve mode) on a temp database of one provider. Settings are configuration
/// keys (<c>Attribution:Webhooks:GitHubSecret</c>, ...); the watcher of local transcripts is off unless a test turns it on.
/// <list type="bullet">
/// <item><see cref="StartAsync"/>: in memory (TestServer), for API and webhook tests.</item>
/// <item><see cref="StartOnKestrelAsync"/>: on Kestrel at 127.0.0.1 with a free port (a browser cannot reach a TestServer),
/// optionally with a fixed clock.</item>
/// <item><see cref="Over"/>: on a database the test prepared before start and keeps (for replaying what a crashed instance left).</item>
/// </list>
/// </summary>
public sealed class AttributionApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDatabase;
    private readonly TimeProvider? _clock;

    private AttributionApp(TestDatabase database, IDictionary<string, string?> settings, bool ownsDatabase, TimeProvider? clock = null)
    {
        Database = database;
        _ownsDatabase = ownsDatabase;
        _clock = clock;
        _settings = new Dictionary<string, string?>(database.Settings, StringComparer.OrdinalIgnoreCase)
        {
            ["Attribution:Sessions:Watch"] = "false",
        };
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    public TestDatabase Database { get; }

    /// <summary>Where a real client reaches the host (Kestrel hosts only).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<AttributionApp> StartAsync(string provider, IDictionary<string, string?>? settings = null)
    {
        var database = await TestDatabase.CreateEmptyAsync(provider);
        var app = new AttributionApp(database, settings ?? new Dictionary<string, string?>(), ownsDatabase: true);
        _ = app.Server; // start the host: migrations run now
        return app;
    }

    public static async Task<AttributionApp> StartOnKestrelAsync(string provider, IDictionary<string, string?>? settings = null, TimeProvider? clock = null)
    {
        var database = await TestDatabase.CreateEmptyAsync(provider);
        var app = new AttributionApp(database, settings ?? new Dictionary<string, string?>(), ownsDatabase: true, clock);
        app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        app.BaseAddress = new Uri(addresses.First(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));
        return app;
    }

    /// <summary>A host over <paramref name="database"/>, started on first use; the database stays the caller's to dispose.</summary>
    public static AttributionApp Over(TestDatabase database, IDictionary<string, string?> settings) => new(database, settings, ownsDatabase: false);

    /// <summary>A plain client of the Kestrel server (optionally with an Authorization header), not following redirects.</summary>
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

        if (_clock is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(_clock));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase)
        {
            await Database.DisposeAsync();
        }
    }
}
