using Attribution.Hosting;
using Attribution.Store;
using Npgsql;

namespace Attribution.Tests.Infrastructure;

/// <summary>A fresh, empty database of one provider (a temp SQLite file or a new PostgreSQL database), dropped on dispose.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _tempDirectory;
    private readonly string? _postgresName;

    private TestDatabase(string provider, DatabaseOptions options, string? tempDirectory, string? postgresName)
    {
        Provider = provider;
        Options = options;
        _tempDirectory = tempDirectory;
        _postgresName = postgresName;
        Connections = new DbConnectionFactory(options);
    }

    public string Provider { get; }

    public DatabaseOptions Options { get; }

    public DbConnectionFactory Connections { get; }

    /// <summary>Configuration keys that point a host at this database.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Attribution:Database:Provider"] = Options.Provider,
        ["Attribution:Database:Connection"] = Options.Connection,
    };

    /// <summary>An empty database (no migrations applied).</summary>
    public static async Task<TestDatabase> CreateEmptyAsync(string provider)
    {
        DapperSetup.Configure();
        if (provider == TestProviders.Sqlite)
        {
            var dir = Path.Combine(Path.GetTempPath(), "attribution-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return new TestDatabase(provider, new DatabaseOptions { Provider = "sqlite", Connection = Path.Combine(dir, "test.db") }, dir, null);
        }

        var admin = TestProviders.PostgresAdminConnection
            ?? throw new InvalidOperationException("ATTRIBUTION_TEST_PG is not set.");
        var name = "attr_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(provider, new DatabaseOptions { Provider = "postgres", Connection = builder.ToString() }, null, name);
    }

    /// <summary>A database with every migration applied.</summary>
    public static async Task<TestDatabase> CreateAsync(string provider)
    {
        var database = await CreateEmptyAsync(provider);
        await new MigrationRunner(database.Connections).MigrateAsync(CancellationToken.None);
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        await Connections.DisposeAsync();
        if (_tempDirectory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_tempDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A test host may still hold the file for a moment; the temp folder is cleaned by the OS.
            }
        }

        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(TestProviders.PostgresAdminConnection);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
