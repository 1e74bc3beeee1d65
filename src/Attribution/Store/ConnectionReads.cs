using Dapper;

namespace Attribution.Store;

/// <summary>
/// One read on a connection of its own, the way the read stores ask: the rows a statement answers as a list, or its one
/// row. (Written out in each store before: open, query, list.)
/// </summary>
internal static class ConnectionReads
{
    public static async Task<IReadOnlyList<T>> ListAsync<T>(this IDbConnectionFactory connections, string sql, object? args, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<T>(new CommandDefinition(sql, args, cancellationToken: cancellationToken))).AsList();
    }

    public static async Task<T?> SingleOrDefaultAsync<T>(this IDbConnectionFactory connections, string sql, object? args, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(sql, args, cancellationToken: cancellationToken));
    }
}
