using Dapper;

namespace Attribution.Store;

/// <summary>Where an incremental ingest stopped, per source and scope (a repository, a file, ...).</summary>
public sealed class CursorStore(IDbConnectionFactory connections, TimeProvider time)
{
    private const string GetSql = "SELECT cursor FROM ingest_cursors WHERE source = @Source AND scope = @Scope";

    public async Task<string?> GetAsync(string source, string scope, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(GetSql, new { Source = source, Scope = scope }, cancellationToken: cancellationToken));
    }

    private const string SetSql = """
        INSERT INTO ingest_cursors (source, scope, cursor, updated_ts) VALUES (@Source, @Scope, @Cursor, @Now)
        ON CONFLICT (source, scope) DO UPDATE SET cursor = excluded.cursor, updated_ts = excluded.updated_ts
        """;

    public async Task SetAsync(string source, string scope, string cursor, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(SetSql, new { Source = source, Scope = scope, Cursor = cursor, Now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    private const string DeleteSql = "DELETE FROM ingest_cursors WHERE source = @Source AND scope = @Scope";

    public async Task DeleteAsync(string source, string scope, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { Source = source, Scope = scope }, cancellationToken: cancellationToken));
    }
}
