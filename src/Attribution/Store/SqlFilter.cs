using System.Text;
using Dapper;

namespace Attribution.Store;

/// <summary>
/// A statement narrowed by optional filters: each filter is a fixed SQL condition, added only when its value is given,
/// and the value always travels as a parameter, never as SQL text.
/// </summary>
internal sealed class SqlFilter(string sql)
{
    private readonly StringBuilder _sql = new(sql);

    public DynamicParameters Parameters { get; } = new();

    /// <summary>Adds <c>AND</c> <paramref name="condition"/>, which reads <c>@</c><paramref name="name"/>, when <paramref name="value"/> is not null.</summary>
    public SqlFilter And(string condition, string name, object? value)
    {
        if (value is not null)
        {
            _sql.Append(" AND ").Append(condition);
            Parameters.Add(name, value);
        }

        return this;
    }

    /// <summary>Adds a fixed fragment: a condition without a value, an <c>ORDER BY</c>.</summary>
    public SqlFilter Append(string fragment)
    {
        _sql.Append(fragment);
        return this;
    }

    /// <summary>Binds a value every form of the statement reads.</summary>
    public SqlFilter With(string name, object value)
    {
        Parameters.Add(name, value);
        return this;
    }

    public override string ToString() => _sql.ToString();
}
