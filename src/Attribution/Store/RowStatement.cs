using System.Data;
using System.Data.Common;
using Npgsql;

namespace Attribution.Store;

/// <summary>
/// One parameterised statement run once per row, for many rows, inside a unit of work, without Dapper's
/// per-call parameter building (which dominated bulk writes). SQLite: one prepared command whose parameters
/// are created once, only their values set per row. PostgreSQL: the rows are queued as the commands of one
/// <see cref="NpgsqlBatch"/>, sent in one round trip per <see cref="MaxBatchRows"/> rows.
/// <see cref="Counts"/> holds each row's affected-row count, in order, once <see cref="FlushAsync"/> has run.
/// </summary>
internal sealed class RowStatement : IAsyncDisposable
{
    private const int MaxBatchRows = 1000;

    private readonly UnitOfWork _unit;
    private readonly string _sql;
    private readonly (string Name, DbType Type)[] _columns;
    private readonly DbCommand? _command;
    private readonly List<int> _counts = [];
    private NpgsqlBatch? _batch;

    /// <param name="columns">The statement's parameters (named without the <c>@</c>) and their types; values are given in this order.</param>
    public RowStatement(UnitOfWork unit, string sql, params (string Name, DbType Type)[] columns)
    {
        _unit = unit;
        _sql = sql;
        _columns = columns;
        if (unit.Dialect == SqlDialect.Sqlite)
        {
            _command = unit.Connection.CreateCommand();
            _command.Transaction = unit.Transaction;
            _command.CommandText = sql;
            foreach (var (name, type) in columns)
            {
                var parameter = _command.CreateParameter();
                // The prefix is part of the name so the provider finds it in one lookup instead of trying each prefix.
                parameter.ParameterName = "@" + name;
                parameter.DbType = type;
                _command.Parameters.Add(parameter);
            }
        }
    }

    /// <summary>Affected rows of each row added so far (complete after <see cref="FlushAsync"/>).</summary>
    public IReadOnlyList<int> Counts => _counts;

    /// <summary>
    /// Runs the statement for one row (SQLite) or queues it (PostgreSQL). <paramref name="values"/> may be
    /// reused by the caller for the next row: it is copied here.
    /// </summary>
    public async ValueTask AddAsync(object?[] values, CancellationToken cancellationToken)
    {
        if (_command is not null)
        {
            for (var i = 0; i < values.Length; i++)
            {
                _command.Parameters[i].Value = values[i] ?? DBNull.Value;
            }

            _counts.Add(await _command.ExecuteNonQueryAsync(cancellationToken));
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
        if (_command is not null)
        {
            await _command.DisposeAsync();
        }

        if (_batch is not null)
        {
            await _batch.DisposeAsync();
        }
    }
}
