using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Attribution.Tests.Infrastructure;

/// <summary>
/// The real host (serve mode) on a temp database of one provider. Settings are configuration keys
/// (<c>Attribution:Webhooks:GitHubSecret</c>, ...); the watcher of local transcripts is off unless a test turns it on.
/// </summary>
public sealed class AttributionApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    private AttributionApp(TestDatabase database, IDictionary<string, string?> settings)
    {
        Database = database;
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

    public static async Task<AttributionApp> StartAsync(string provider, IDictionary<string, string?>? settings = null)
    {
        var database = await TestDatabase.CreateEmptyAsync(provider);
        var app = new AttributionApp(database, settings ?? new Dictionary<string, string?>());
        _ = app.Server; // start the host: migrations run now
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }
}
