using System.Collections.Concurrent;

namespace Attribution.Tests.Infrastructure;

/// <summary>
/// A class fixture holding one running host per provider, created on first use and shared by the tests
/// of a class (a temp database per test class). Subclass it to give the hosts settings.
/// The base hosts run without the background attribution pass: their tests seed links and outcomes directly, and a
/// pass starting at host start (or after a test's import) would recompute those links under them, now and then.
/// </summary>
public class AppFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task<AttributionApp>>> _apps = new();

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Attribution:Linking:Background"] = "false" };

    public Task<AttributionApp> ForAsync(string provider) =>
        _apps.GetOrAdd(provider, p => new Lazy<Task<AttributionApp>>(() => AttributionApp.StartAsync(p, Settings))).Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps.Values.Where(a => a.IsValueCreated))
        {
            await (await app.Value).DisposeAsync();
        }
    }
}
