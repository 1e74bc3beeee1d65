using Dapper;

namespace Attribution.Store;

/// <summary>Answers whether the database is reachable.</summary>
public sealed class HealthStore(DbConnectionFactory connections)
{
    public SqlDialect Dialect => connections.Dialect;

    /// <summary>Null when the database answers within the timeout, else what went wrong.</summary>
    public async Task<string?> CheckAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        if (connections.DatabasePath is { } path && !File.Exists(path))
        {
            // SQLite would quietly create an empty file; a missing file means the database went away.
            // The answer is public (health checks are open): it names no path, host or server message.
            return "database unavailable: the database file is missing";
        }

        try
        {
            await using var connection = await connections.OpenAsync(cts.Token);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT count(*) FROM schema_migrations", cancellationToken: cts.Token));
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"database unavailable: no answer within {timeout.TotalSeconds:0} s";
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or InvalidOperationException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return $"database unavailable ({ex.GetType().Name})";
        }
    }
}
