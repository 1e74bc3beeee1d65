using Attribution.Store;

namespace Attribution.Tests.Infrastructure;

/// <summary>An empty database migrated up to (not including) one migration, for tests of what that migration does to stored rows.</summary>
public static class MigratedBefore
{
    /// <summary>Applies every embedded migration older than <paramref name="version"/>; the runner applies the rest.</summary>
    public static async Task<MigrationRunner> MigrateAsync(TestDatabase db, string version)
    {
        var runner = new MigrationRunner(db.Connections);
        var older = MigrationSource.Embedded(db.Connections.Dialect).Where(m => string.CompareOrdinal(m.Version, version) < 0).ToList();
        await runner.MigrateAsync(older, CancellationToken.None);
        return runner;
    }
}
