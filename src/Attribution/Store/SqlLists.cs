using System.Text.RegularExpressions;
using Dapper;

namespace Attribution.Store;

/// <summary>
/// Lists of values in SQL, written once for both dialects: <c>col = ANY(@Values)</c> goes to PostgreSQL as one array
/// parameter; to SQLite as <c>col IN @Values</c> (<see cref="Any"/>: Dapper expands the list into one parameter per value)
/// or, for the long lists of <see cref="QueryAsync"/>, as one JSON text read by <c>json_each</c>. Long lists are sent in
/// chunks.
/// </summary>
public static partial class SqlLists
{
    /// <summary>Values per statement: far below SQLite's parameter limit.</summary>
    public const int ChunkSize = 500;

    /// <summary>The statement for <paramref name="dialect"/>: PostgreSQL keeps <c>= ANY(@X)</c>, SQLite gets <c>IN @X</c>.</summary>
    public static string Any(SqlDialect dialect, string sql) =>
        dialect == SqlDialect.Postgres ? sql : AnyParameter().Replace(sql, "IN $1");

    /// <summary>Runs <paramref name="sql"/> (with <c>= ANY(@Values)</c>) once per chunk of distinct values and returns every row.</summary>
    /// <remarks>
    /// On SQLite the list travels as one JSON text (<c>IN (SELECT value FROM json_each(@X))</c>) in chunks of
    /// <see cref="JsonChunkSize"/>: SQLite binds each named parameter by a linear scan of the statement's names, so a list
    /// expanded into one parameter per value costs the square of its length (1.6 s for 14,000 commits read by sha).
    /// </remarks>
    public static async Task<List<T>> QueryAsync<T>(
        IDbConnectionFactory connections, string sql, IEnumerable<string> values, Func<string[], object> parameters, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        var sqlite = connections.Dialect == SqlDialect.Sqlite;
        var statement = sqlite ? AnyParameter().Replace(sql, "IN (SELECT value FROM json_each($1))") : sql;
        await using var connection = await connections.OpenAsync(cancellationToken);
        foreach (var chunk in values.Distinct(StringComparer.Ordinal).Chunk(sqlite ? JsonChunkSize : ChunkSize))
        {
            var arguments = sqlite ? AsJsonList(parameters(chunk)) : parameters(chunk);
            rows.AddRange(await connection.QueryAsync<T>(new CommandDefinition(statement, arguments, cancellationToken: cancellationToken)));
        }

        return rows;
    }

    /// <summary>Values per statement on SQLite, where the list is one JSON parameter.</summary>
    public const int JsonChunkSize = 5000;

    /// <summary>The same parameters with every list of strings written as one JSON array text.</summary>
    private static DynamicParameters AsJsonList(object parameters)
    {
        var result = new DynamicParameters();
        foreach (var property in parameters.GetType().GetProperties())
        {
            var value = property.GetValue(parameters);
            result.Add(property.Name, value is string[] list ? System.Text.Json.JsonSerializer.Serialize(list) : value);
        }

        return result;
    }

    [GeneratedRegex(@"= ANY\((@\w+)\)", RegexOptions.NonBacktracking)]
    private static partial Regex AnyParameter();
}
