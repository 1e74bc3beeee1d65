using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Attribution.Store;

/// <summary>
/// Answers of read queries kept for as long as the database has not changed. The stamp is SQLite's
/// <c>PRAGMA data_version</c> on a connection of its own that never writes: it changes whenever any other connection,
/// of this process or another one (a CLI <c>ingest git</c> beside <c>serve</c>), commits. So a write is visible on the
/// next read, whoever made it, at the cost of one prepared pragma per read; any commit empties the whole cache (coarse,
/// but nothing can be missed). PostgreSQL has no stamp that is cheap and ordered with visibility (a commit's WAL record
/// precedes the moment it becomes visible), so nothing is cached there.
/// </summary>
public sealed class ReadCache(IDbConnectionFactory connections, bool enabled = true) : IAsyncDisposable
{
    /// <summary>Entries kept per database state; past this, answers are not kept until the next change.</summary>
    public const int MaxEntries = 20_000;

    private readonly Lock _gate = new();
    private SqliteConnection? _connection;
    private SqliteCommand? _command;
    private long _epoch;
    private Generation _generation = new(-1);

    /// <summary>False for PostgreSQL (and when turned off): every read goes to the database.</summary>
    public bool Enabled { get; } = enabled && connections.Dialect == SqlDialect.Sqlite;

    /// <summary>
    /// The cached answer for <paramref name="key"/> when nothing was committed since it was read, else
    /// <paramref name="load"/>'s (kept). The stamp is read before the load: a commit in between leaves an answer that
    /// is newer than its stamp, which the next read replaces.
    /// </summary>
    public async Task<T> GetOrLoadAsync<T>(string key, Func<Task<T>> load, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return await load();
        }

        var stamp = await StampAsync(cancellationToken);
        var generation = Volatile.Read(ref _generation);
        // Stamps only grow: a newer one starts an empty generation; a reader holding an older stamp keeps nothing.
        while (generation.Stamp < stamp)
        {
            var fresh = new Generation(stamp);
            generation = Interlocked.CompareExchange(ref _generation, fresh, generation) == generation ? fresh : Volatile.Read(ref _generation);
        }

        if (generation.Stamp == stamp && generation.Entries.TryGetValue(key, out var kept))
        {
            return (T)kept!;
        }

        var value = await load();
        if (generation.Stamp == stamp && generation.Entries.Count < MaxEntries)
        {
            generation.Entries[key] = value;
        }

        return value;
    }

    /// <summary>Changes whenever another connection commits; a reopened stamp connection starts a new epoch.</summary>
    private async Task<long> StampAsync(CancellationToken cancellationToken)
    {
        if (_command is null)
        {
            var opened = (SqliteConnection)await connections.OpenAsync(cancellationToken);
            lock (_gate)
            {
                if (_command is null)
                {
                    _connection = opened;
                    var command = opened.CreateCommand();
                    command.CommandText = "PRAGMA data_version";
                    command.Prepare();
                    _epoch++;
                    _command = command;
                    opened = null;
                }
            }

            if (opened is not null)
            {
                await opened.DisposeAsync();
            }
        }

        lock (_gate)
        {
            try
            {
                return (_epoch << 40) | (long)_command!.ExecuteScalar()!;
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException)
            {
                // The connection broke: the next read opens a new one (a new epoch, so no stale answer survives).
                _command?.Dispose();
                _connection?.Dispose();
                _command = null;
                _connection = null;
                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        SqliteConnection? connection;
        lock (_gate)
        {
            _command?.Dispose();
            _command = null;
            connection = _connection;
            _connection = null;
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }

    private sealed class Generation(long stamp)
    {
        public long Stamp { get; } = stamp;

        public ConcurrentDictionary<string, object?> Entries { get; } = new(StringComparer.Ordinal);
    }
}
