using System.Text.RegularExpressions;
using Dapper;

namespace Attribution.Store;

/// <summary>
/// Lists of values in SQL, written once for both dialects: <c>col = ANY(@Values)</c> goes to PostgreSQL as one array
/// parameter and to SQLite as <c>col IN @Values</c> (Dapper expands the list into one parameter per value there, so long
/// lists are sent in chunks).
/// </summary>
public static partial class SqlLists
{
    /// <summary>Values per statement: far below SQLite's parameter limit.</summary>
    public const int ChunkSize = 500;

    /// <summary>The statement for <paramref name="dialect"/>: PostgreSQL keeps <c>= ANY(@X)</c>, SQLite gets <c>IN @X</c>.</summary>
    public static string Any(SqlDialect dialect, string sql) =>
        dialect == SqlDialect.Postgres ? sql : AnyParameter().Replace(sql, "IN $1");

    /// <summary>Runs <paramref name="sql"/> (with <c>= ANY(@Values)</c>) once per chunk of distinct values and returns every row.</summary>
    public static async Task<List<T>> QueryAsync<T>(
        IDbConnectionFactory connections, string sql, IEnumerable<string> values, Func<string[], object> parameters, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        var statement = Any(connections.Dialect, sql);
        await using var connection = await connections.OpenAsync(cancellationToken);
        foreach (var chunk in values.Distinct(StringComparer.Ordinal).Chunk(ChunkSize))
        {
            rows.AddRange(await connection.QueryAsync<T>(new CommandDefinition(statement, parameters(chunk), cancellationToken: cancellationToken)));
        }

        return rows;
    }

    [GeneratedRegex(@"= ANY\((@\w+)\)", RegexOptions.NonBacktracking)]
    private static partial Regex AnyParameter();
}
