using Attribution.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Attribution.Tests.Webhooks;

/// <summary>The real host on a database the test prepared before start (for the inbox replay).</summary>
public sealed class SeededHost(TestDatabase database, IDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var all = new Dictionary<string, string?>(database.Settings, StringComparer.OrdinalIgnoreCase) { ["Attribution:Sessions:Watch"] = "false" };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(all));
        foreach (var (key, value) in all)
        {
            builder.UseSetting(key, value);
        }
    }
}
