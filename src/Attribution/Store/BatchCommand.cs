using System.Data.Common;

namespace Attribution.Store;

/// <summary>
/// One statement executed many times in a unit of work with new values: the command and its parameters are built
/// once, so the driver prepares the SQL once (Microsoft.Data.Sqlite keeps the prepared statement while the text is
/// unchanged) and nothing is reflected or looked up by name per row. For hot, row-at-a-time writes; everything
/// else goes through Dapper.
/// </summary>
public sealed class BatchCommand : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter[] _parameters;

    public BatchCommand(UnitOfWork unit, string sql, params string[] parameterNames)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(parameterNames);
        _command = unit.Connection.CreateCommand();
        _command.Transaction = unit.Transaction;
        _command.CommandText = sql;
        _parameters = new DbParameter[parameterNames.Length];
        for (var i = 0; i < parameterNames.Length; i++)
        {
            var parameter = _command.CreateParameter();
            parameter.ParameterName = "@" + parameterNames[i];
            _command.Parameters.Add(parameter);
            _parameters[i] = parameter;
        }
    }

    /// <summary>Runs the statement with these values (in the order of the names); returns the first column of the first row, or null.</summary>
    public async Task<object?> ScalarAsync(CancellationToken cancellationToken, params object?[] values)
    {
        Bind(values);
        var result = await _command.ExecuteScalarAsync(cancellationToken);
        return result is DBNull ? null : result;
    }

    /// <summary>Runs the statement with these values (in the order of the names); returns the rows affected.</summary>
    public Task<int> ExecuteAsync(CancellationToken cancellationToken, params object?[] values)
    {
        Bind(values);
        return _command.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();

    private void Bind(object?[] values)
    {
        if (values.Length != _parameters.Length)
        {
            throw new ArgumentException($"Expected {_parameters.Length} values, got {values.Length}.", nameof(values));
        }

        for (var i = 0; i < values.Length; i++)
        {
            _parameters[i].Value = values[i] switch
            {
                null => DBNull.Value,
                DateTimeOffset timestamp => DapperSetup.Format(timestamp),
                var value => value,
            };
        }
    }
}
