using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace Attribution.Store;

/// <summary>
/// Applies numbered plain-SQL scripts in order, once each, each in its own transaction, and journals them
/// with a checksum. An applied script whose text changed is refused. On PostgreSQL a session advisory lock
/// keeps several instances starting at once from racing; on SQLite each script runs in an immediate
/// (write-locking) transaction and re-checks the journal inside it.
/// </summary>
public sealed partial class MigrationRunner(IDbConnectionFactory connections, ILogger<MigrationRunner>? logger = null)
{
    // Any constant shared by every instance of this product; "attribution" in ASCII.
    private const long AdvisoryLockKey = 0x61747472696275;

    private const string CreateJournal = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    TEXT PRIMARY KEY,
            name       TEXT NOT NULL,
            checksum   TEXT NOT NULL,
            applied_ts TEXT NOT NULL
        )
        """;

    private const string ReadJournal = "SELECT version AS Version, name AS Name, checksum AS Checksum FROM schema_migrations";
    private const string WriteJournal = "INSERT INTO schema_migrations (version, name, checksum, applied_ts) VALUES (@Version, @Name, @Checksum, @AppliedTs)";

    private readonly ILogger _logger = logger ?? NullLogger<MigrationRunner>.Instance;

    /// <summary>Applies the embedded scripts of the configured dialect.</summary>
    public Task<MigrationResult> MigrateAsync(CancellationToken cancellationToken) =>
        MigrateAsync(MigrationSource.Embedded(connections.Dialect), cancellationToken);

    public async Task<MigrationResult> MigrateAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var postgres = connections.Dialect == SqlDialect.Postgres;
        if (postgres)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_lock(@key)", new { key = AdvisoryLockKey }, cancellationToken: cancellationToken));
        }

        try
        {
            await connection.ExecuteAsync(new CommandDefinition(CreateJournal, cancellationToken: cancellationToken));

            // What the journal already holds is checked from one read, without a write lock per migration (every command
            // starts here: sixteen locked checks were a tenth of a command's start); the rest is applied one by one
            // under the lock, which reads the journal again.
            var journal = (await connection.QueryAsync<JournalRow>(new CommandDefinition(ReadJournal, cancellationToken: cancellationToken))).ToList();
            var done = journal.ToDictionary(j => j.Version, StringComparer.Ordinal);
            var applied = new List<string>();
            foreach (var migration in MigrationSource.Ordered(migrations))
            {
                if (done.TryGetValue(migration.Version, out var existing))
                {
                    CheckUnchanged(existing, migration);
                }
                else if (await ApplyOneAsync(connection, migration, cancellationToken))
                {
                    applied.Add($"{migration.Version}_{migration.Name}");
                    LogApplied(_logger, migration.Version, migration.Name);
                }
            }

            var known = migrations.Select(m => m.Version).ToHashSet(StringComparer.Ordinal);
            foreach (var unknown in journal.Where(j => !known.Contains(j.Version)))
            {
                LogUnknown(_logger, unknown.Version, unknown.Name);
            }

            return new MigrationResult(applied, migrations.Count);
        }
        finally
        {
            if (postgres)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "SELECT pg_advisory_unlock(@key)", new { key = AdvisoryLockKey }, cancellationToken: CancellationToken.None));
            }
        }
    }

    /// <summary>An applied migration's script must be the one applied: an edit after the fact is refused.</summary>
    private static void CheckUnchanged(JournalRow existing, Migration migration)
    {
        if (!string.Equals(existing.Checksum, migration.Checksum, StringComparison.Ordinal))
        {
            throw new MigrationException(
                $"Migration {migration.Version}_{migration.Name} was edited after it was applied " +
                $"(journal checksum {existing.Checksum[..12]}…, script {migration.Checksum[..12]}…). " +
                "Restore the original script and put the change in a new numbered migration.");
        }
    }

    private static async Task<bool> ApplyOneAsync(DbConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        // On SQLite the transaction is immediate (Microsoft.Data.Sqlite's default): it takes the write lock first,
        // so a second process waits here and then finds the journal row.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var existing = await connection.QuerySingleOrDefaultAsync<JournalRow>(new CommandDefinition(
            ReadJournal + " WHERE version = @Version", new { migration.Version }, transaction, cancellationToken: cancellationToken));
        if (existing is not null)
        {
            await transaction.RollbackAsync(cancellationToken);
            CheckUnchanged(existing, migration);
            return false;
        }

        try
        {
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
        }
        catch (DbException ex)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            throw new MigrationException($"Migration {migration.Version}_{migration.Name} failed: {ex.Message}", ex);
        }

        await connection.ExecuteAsync(new CommandDefinition(WriteJournal, new
        {
            migration.Version,
            migration.Name,
            migration.Checksum,
            AppliedTs = DapperSetup.Format(DateTimeOffset.UtcNow),
        }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Applied migration {Version}_{Name}")]
    private static partial void LogApplied(ILogger logger, string version, string name);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "The database has migration {Version}_{Name}, which this build does not know (a newer version ran here?)")]
    private static partial void LogUnknown(ILogger logger, string version, string name);

    private sealed record JournalRow(string Version, string Name, string Checksum);
}

/// <summary>What a migration run did.</summary>
public sealed record MigrationResult(IReadOnlyList<string> Applied, int Known);

/// <summary>A migration could not be applied; the message says why and what to do.</summary>
public sealed class MigrationException : Exception
{
    public MigrationException(string message)
        : base(message)
    {
    }

    public MigrationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
