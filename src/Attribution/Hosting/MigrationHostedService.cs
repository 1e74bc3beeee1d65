using Attribution.Store;

namespace Attribution.Hosting;

/// <summary>Applies pending migrations when <c>serve</c> starts, before anything else runs.</summary>
public sealed class MigrationHostedService(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => StartupChecks.MigrateAsync(services, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
