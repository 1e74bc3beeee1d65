using System.Data;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using SQLitePCL;

namespace Attribution.Store;

/// <summary>
/// One parameterised statement run once per row, for many rows, inside a unit of work, without Dapper's
/// per-call parameter building (which dominated bulk writes).
/// SQLite: the statement is prepared once per pooled connection (kept in its <see cref="SqliteStatementCache"/>
/// from one unit of work to the next) and its parameters are bound by position,
/// text through one reused UTF-8 buffer (Microsoft.Data.Sqlite looks every parameter up by name and encodes
/// name and value into new arrays on every execution: measured as most of the remaining store time).
/// Two ways to run it: <see cref="AddAsync"/> for bulk writes — on PostgreSQL the rows are queued as the commands of
/// one <see cref="NpgsqlBatch"/>, sent in one round trip per <see cref="MaxBatchRows"/> rows, and <see cref="Counts"/>
/// holds each row's affected-row count, in order, once <see cref="FlushAsync"/> has run — or
/// <see cref="ExecuteAsync"/> / <see cref="ScalarAsync"/> for one row whose result is needed now (one command
/// built once and re-run on PostgreSQL). Values are strings, numbers, byte arrays, timestamps (stored as
/// <see cref="DapperSetup.Format"/> text) or null.
/// </summary>
internal sealed class RowStatement : IAsyncDisposable
{
    private const int MaxBatchRows = 1000;

    private readonly UnitOfWork _unit;
    private readonly string _sql;
    private readonly (string Name, DbType Type)[] _columns;
    private readonly List<int> _counts = [];
    private readonly sqlite3? _database;
    private readonly SqliteStatementCache? _cache;
    private readonly sqlite3_stmt? _statement;
    private readonly int[] _positions = [];
    private byte[] _utf8 = [];
    private NpgsqlBatch? _batch;
    private NpgsqlCommand? _immediate;

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
        _cache = SqliteStatementCache.Of(_database);
        var result = _cache.Take(_database, sql, out var statement);
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
            command.Parameters.Add(new NpgsqlParameter(_columns[i].Name, _columns[i].Type) { Value = PostgresValue(values[i]) });
        }

        _batch.BatchCommands.Add(command);
        if (_batch.BatchCommands.Count >= MaxBatchRows)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>Runs the statement for one row now, on either dialect; returns the rows it affected.</summary>
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken, params object?[] values)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _statement is not null ? Execute(values) : await Immediate(values).ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs the statement for one row now; returns the first column of its first row as a number, or null (no row).</summary>
    public async Task<long?> ScalarAsync(CancellationToken cancellationToken, params object?[] values)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_statement is null)
        {
            return await Immediate(values).ExecuteScalarAsync(cancellationToken) is { } value and not DBNull
                ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
                : null;
        }

        Bind(values);
        var result = raw.sqlite3_step(_statement);
        long? first = result == raw.SQLITE_ROW && raw.sqlite3_column_type(_statement, 0) != raw.SQLITE_NULL
            ? raw.sqlite3_column_int64(_statement, 0)
            : null;
        raw.sqlite3_reset(_statement);
        if (result != raw.SQLITE_ROW)
        {
            Check(result, raw.SQLITE_DONE);
        }

        return first;
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
        if (_statement is not null)
        {
            _cache!.Return(_sql, _statement);
        }

        if (_immediate is not null)
        {
            await _immediate.DisposeAsync();
        }

        if (_batch is not null)
        {
            await _batch.DisposeAsync();
        }
    }

    /// <summary>The PostgreSQL command for immediate runs: built once, its parameter values replaced per row.</summary>
    private NpgsqlCommand Immediate(object?[] values)
    {
        if (_immediate is null)
        {
            _immediate = new NpgsqlCommand(_sql, (NpgsqlConnection)_unit.Connection, (NpgsqlTransaction)_unit.Transaction);
            foreach (var (name, type) in _columns)
            {
                _immediate.Parameters.Add(new NpgsqlParameter(name, type));
            }
        }

        CheckCount(values);
        for (var i = 0; i < values.Length; i++)
        {
            _immediate.Parameters[i].Value = PostgresValue(values[i]);
        }

        return _immediate;
    }

    // Timestamps are stored as fixed-width UTC text in both dialects (see DapperSetup).
    private static object PostgresValue(object? value) => value switch
    {
        null => DBNull.Value,
        string text => StorableText(text),
        DateTimeOffset timestamp => DapperSetup.Format(timestamp),
        JsonText json => json.ToString(),
        _ => value,
    };

    private int Execute(object?[] values)
    {
        var statement = _statement!;
        Bind(values);

        // SQLite waits for a busy database itself (busy_timeout is set on every connection).
        var result = raw.sqlite3_step(statement);
        var changes = raw.sqlite3_changes(_database);
        raw.sqlite3_reset(statement);
        Check(result, raw.SQLITE_DONE);
        return changes;
    }

    private void Bind(object?[] values)
    {
        var statement = _statement!;
        CheckCount(values);
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
                byte[] blob => raw.sqlite3_bind_blob(statement, position, blob),
                DateTimeOffset timestamp => BindText(statement, position, DapperSetup.Format(timestamp)),
                JsonText json => raw.sqlite3_bind_text(statement, position, json.Utf8),
                var other => throw new ArgumentException($"Cannot bind a {other.GetType().Name} to @{_columns[i].Name}.", nameof(values)),
            }, raw.SQLITE_OK);
        }
    }

    private void CheckCount(object?[] values)
    {
        if (values.Length != _columns.Length)
        {
            throw new ArgumentException($"Expected {_columns.Length} values, got {values.Length}.", nameof(values));
        }
    }

    /// <summary>
    /// The text as both dialects store it: PostgreSQL refuses U+0000 in text (transcripts hold it: git's pkt-line
    /// output read back by an agent), so it becomes U+FFFD in both, and a row reads the same from either.
    /// </summary>
    private static string StorableText(string text) => text.Contains('\0', StringComparison.Ordinal) ? text.Replace('\0', '\uFFFD') : text;

    private int BindText(sqlite3_stmt statement, int position, string text)
    {
        text = StorableText(text);
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
