using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Attribution.Store;

/// <summary>Validation of the database settings, with messages a user can act on.</summary>
public static class DatabaseSettings
{
    public static SqlDialect ParseProvider(string? provider) => provider?.Trim().ToLowerInvariant() switch
    {
        "sqlite" or "" or null => SqlDialect.Sqlite,
        "postgres" or "postgresql" or "npgsql" => SqlDialect.Postgres,
        _ => throw new InvalidOperationException(
            $"ATTRIBUTION_DB_PROVIDER must be 'sqlite' or 'postgres', not '{provider}'."),
    };

    /// <summary>Returns an error message, or null when the settings can be used.</summary>
    public static string? Validate(DatabaseOptions options)
    {
        SqlDialect dialect;
        try
        {
            dialect = ParseProvider(options.Provider);
        }
        catch (InvalidOperationException ex)
        {
            return ex.Message;
        }

        if (string.IsNullOrWhiteSpace(options.Connection))
        {
            return "ATTRIBUTION_DB is empty: give a SQLite file path or a PostgreSQL connection string.";
        }

        if (dialect == SqlDialect.Postgres)
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(options.Connection);
                if (string.IsNullOrEmpty(builder.Host))
                {
                    return "ATTRIBUTION_DB is not a PostgreSQL connection string: it names no Host.";
                }
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
            {
                return $"ATTRIBUTION_DB is not a valid PostgreSQL connection string: {ex.Message}";
            }
        }
        else if (options.Connection.Contains('=', StringComparison.Ordinal) && options.Connection.Contains(';', StringComparison.Ordinal))
        {
            return "ATTRIBUTION_DB looks like a connection string, but the provider is sqlite: give a file path, or set ATTRIBUTION_DB_PROVIDER=postgres.";
        }

        return null;
    }

    /// <summary>Whether an exception means the database cannot be opened or reached (as opposed to a bug).</summary>
    public static bool IsUnreachable(Exception ex) =>
        ex is DbException or IOException or UnauthorizedAccessException or TimeoutException or NpgsqlException;

    /// <summary>One sentence saying which database could not be opened or reached, and why (never the password).</summary>
    public static string DescribeFailure(DatabaseOptions database, Exception ex)
    {
        var innermost = ex;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return ex switch
        {
            SqliteException or IOException or UnauthorizedAccessException =>
                $"cannot open the SQLite database '{Path.GetFullPath(database.Connection)}': {innermost.Message}",
            _ => $"cannot reach the PostgreSQL database ({RedactedTarget(database.Connection)}): {innermost.Message}",
        };
    }

    /// <summary>Host, port and database of a connection string, never its password.</summary>
    public static string RedactedTarget(string connection)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connection);
            return $"host {builder.Host}, port {builder.Port}, database {builder.Database ?? "(default)"}";
        }
        catch (ArgumentException)
        {
            return "connection string unreadable";
        }
    }
}
