using System.Data;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using SQLitePCL;

namespace Attribution.Store;

/// <summary>
/// One parameterised statement run once per row, for many rows, inside a unit of work, without Dapper's
/// per-call parameter building (which dominated bulk writes).
/// SQLite: the statement is prepared once on the unit's connection and its parameters are bound by position,
/// text through one reused UTF-8 buffer (Microsoft.Data.Sqlite looks every parameter up by name and encodes
/// name and value into new arrays on every execution: measured as most of the remaining store time).
/// PostgreSQL: the rows are queued as the commands of one <see cref="NpgsqlBatch"/>, sent in one round trip per
/// <see cref="MaxBatchRows"/> rows. <see cref="Counts"/> holds each row's affected-row count, in order, once
/// <see cref="FlushAsync"/> has run.
/// </summary>
internal sealed class RowStatement : IAsyncDisposable
{
    private const int MaxBatchRows = 1000;

    private readonly UnitOfWork _unit;
    private readonly string _sql;
    private readonly (string Name, DbType Type)[] _columns;
    private readonly List<int> _counts = [];
    private readonly sqlite3? _database;
    private readonly sqlite3_stmt? _statement;
    private readonly int[] _positions = [];
    private byte[] _utf8 = [];
    private NpgsqlBatch? _batch;

    /// <param name="columns">The statement's parameters (named without the <c>@</c>) and their types; values are given in this order.</param>
    public RowStatement(UnitOfWork unit, string sql, params (string Name, DbType Type)[] columns)
    {
        _unit = unit;
        _sql = sql;
        _columns = columns;
        if (unit.Dialect != SqlDialect.Sqlite)
        {
            return;
        }

        _database = ((SqliteConnection)unit.Connection).Handle
            ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var result = raw.sqlite3_prepare_v2(_database, sql, out var statement);
        try
        {
            Check(result, raw.SQLITE_OK);
            if (raw.sqlite3_bind_parameter_count(statement) != columns.Length)
            {
                throw new InvalidOperationException($"The statement takes {raw.sqlite3_bind_parameter_count(statement)} parameters, {columns.Length} were declared.");
            }

            _positions = new int[columns.Length];
            for (var i = 0; i < columns.Length; i++)
            {
                _positions[i] = raw.sqlite3_bind_parameter_index(statement, "@" + columns[i].Name);
                if (_positions[i] == 0)
                {
                    throw new InvalidOperationException($"The statement has no parameter @{columns[i].Name}.");
                }
            }
        }
        catch
        {
            // A statement left unfinalized would keep the pooled connection from closing.
            statement?.Dispose();
            throw;
        }

        _statement = statement;
    }

    /// <summary>Affected rows of each row added so far (complete after <see cref="FlushAsync"/>).</summary>
    public IReadOnlyList<int> Counts => _counts;

    /// <summary>
    /// Runs the statement for one row (SQLite) or queues it (PostgreSQL). <paramref name="values"/> may be
    /// reused by the caller for the next row: it is copied here.
    /// </summary>
    public async ValueTask AddAsync(object?[] values, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_statement is not null)
        {
            _counts.Add(Execute(values));
            return;
        }

        _batch ??= new NpgsqlBatch((NpgsqlConnection)_unit.Connection, (NpgsqlTransaction)_unit.Transaction);
        var command = new NpgsqlBatchCommand(_sql);
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.Add(new NpgsqlParameter(_columns[i].Name, _columns[i].Type) { Value = values[i] ?? DBNull.Value });
        }

        _batch.BatchCommands.Add(command);
        if (_batch.BatchCommands.Count >= MaxBatchRows)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>Sends the queued rows (PostgreSQL); nothing to do for SQLite.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_batch is not { BatchCommands.Count: > 0 })
        {
            return;
        }

        await _batch.ExecuteNonQueryAsync(cancellationToken);
        foreach (var command in _batch.BatchCommands)
        {
            _counts.Add(command.RecordsAffected);
        }

        _batch.BatchCommands.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        _statement?.Dispose();
        if (_batch is not null)
        {
            await _batch.DisposeAsync();
        }
    }

    private int Execute(object?[] values)
    {
        var statement = _statement!;
        for (var i = 0; i < values.Length; i++)
        {
            var position = _positions[i];
            Check(values[i] switch
            {
                null => raw.sqlite3_bind_null(statement, position),
                string text => BindText(statement, position, text),
                long number => raw.sqlite3_bind_int64(statement, position, number),
                int number => raw.sqlite3_bind_int64(statement, position, number),
                double number => raw.sqlite3_bind_double(statement, position, number),
                var other => throw new ArgumentException($"Cannot bind a {other.GetType().Name} to @{_columns[i].Name}.", nameof(values)),
            }, raw.SQLITE_OK);
        }

        // SQLite waits for a busy database itself (busy_timeout is set on every connection).
        var result = raw.sqlite3_step(statement);
        var changes = raw.sqlite3_changes(_database);
        raw.sqlite3_reset(statement);
        Check(result, raw.SQLITE_DONE);
        return changes;
    }

    private int BindText(sqlite3_stmt statement, int position, string text)
    {
        var needed = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_utf8.Length < needed)
        {
            _utf8 = new byte[Math.Max(needed, 4096)];
        }

        // The span is copied by SQLite (SQLITE_TRANSIENT), so the buffer is free again at once.
        var length = Encoding.UTF8.GetBytes(text, _utf8);
        return raw.sqlite3_bind_text(statement, position, _utf8.AsSpan(0, length));
    }

    private void Check(int result, int expected)
    {
        if (result != expected)
        {
            SqliteException.ThrowExceptionForRC(result, _database);
            throw new InvalidOperationException($"SQLite returned {result} where {expected} was expected.");
        }
    }
}
