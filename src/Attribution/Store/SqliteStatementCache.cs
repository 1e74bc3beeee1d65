using System.Runtime.CompilerServices;
using SQLitePCL;

namespace Attribution.Store;

/// <summary>
/// The prepared statements of one SQLite database handle, kept from one unit of work to the next. Microsoft.Data.Sqlite
/// pools its handles but compiles a command's SQL again on every new command: for a small write (one webhook delivery's
/// few rows) compiling the statements cost more than running them (measured: 37 % of the delivery writer's time).
/// A statement is taken out while a <see cref="RowStatement"/> uses it and put back, reset and unbound, when that is
/// disposed, so no two users ever share one. The cache lives as long as the handle (a weak table keyed by it); a handle
/// the pool closes with statements still kept here closes once they are finalized, when both are collected
/// (<c>sqlite3_close_v2</c>). SQLite re-prepares a kept statement itself after a schema change.
/// </summary>
internal sealed class SqliteStatementCache
{
    // Statements are the store's constant SQL texts; the bound only guards against text built per call.
    private const int MaxStatements = 128;

    private static readonly ConditionalWeakTable<sqlite3, SqliteStatementCache> Caches = [];

    private readonly Dictionary<string, sqlite3_stmt> _statements = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private int _prepared;

    /// <summary>How many statements were prepared for this handle (not taken from the cache).</summary>
    public int Prepared => Volatile.Read(ref _prepared);

    /// <summary>The SQL of the statements kept now.</summary>
    public IReadOnlyList<string> Kept
    {
        get
        {
            lock (_lock)
            {
                return [.. _statements.Keys];
            }
        }
    }

    /// <summary>The cache of <paramref name="database"/>.</summary>
    public static SqliteStatementCache Of(sqlite3 database) => Caches.GetValue(database, _ => new SqliteStatementCache());

    /// <summary>A kept statement of <paramref name="sql"/> taken out of the cache, or a newly prepared one; returns the SQLite result code.</summary>
    public int Take(sqlite3 database, string sql, out sqlite3_stmt statement)
    {
        lock (_lock)
        {
            if (_statements.Remove(sql, out var kept))
            {
                statement = kept;
                return raw.SQLITE_OK;
            }
        }

        Interlocked.Increment(ref _prepared);
        return raw.sqlite3_prepare_v2(database, sql, out statement);
    }

    /// <summary>Puts a statement taken with <see cref="Take"/> back (reset, its values unbound), or finalizes it when one of that text is already kept or the cache is full.</summary>
    public void Return(string sql, sqlite3_stmt statement)
    {
        raw.sqlite3_reset(statement);
        raw.sqlite3_clear_bindings(statement);
        lock (_lock)
        {
            if (_statements.Count < MaxStatements && _statements.TryAdd(sql, statement))
            {
                return;
            }
        }

        statement.Dispose();
    }
}
