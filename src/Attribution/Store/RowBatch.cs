using System.Data;

namespace Attribution.Store;

/// <summary>
/// A bulk write: one statement run once per item through a <see cref="RowStatement"/>, with each parameter's name,
/// type and the value an item gives it declared together, so the parameter list and the values filling it cannot
/// drift apart (they used to be two lists kept in step by position).
/// </summary>
internal sealed class RowBatch<T>
{
    private readonly string _sql;
    private readonly (string Name, DbType Type)[] _columns;
    private readonly Func<T, object?>[] _values;

    /// <param name="columns">The statement's parameters (named without the <c>@</c>), their types and each one's value for an item.</param>
    public RowBatch(string sql, params (string Name, DbType Type, Func<T, object?> Value)[] columns)
    {
        _sql = sql;
        _columns = [.. columns.Select(c => (c.Name, c.Type))];
        _values = [.. columns.Select(c => c.Value)];
    }

    /// <summary>Runs the statement for every item, in order, in one reused statement; returns the rows each item affected.</summary>
    public async Task<IReadOnlyList<int>> RunAsync(UnitOfWork unit, IEnumerable<T> items, CancellationToken cancellationToken)
    {
        await using var statement = new RowStatement(unit, _sql, _columns);
        var row = new object?[_values.Length];
        foreach (var item in items)
        {
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = _values[i](item);
            }

            await statement.AddAsync(row, cancellationToken);
        }

        await statement.FlushAsync(cancellationToken);
        return [.. statement.Counts];
    }
}
