using Attribution.Common;
using Dapper;

namespace Attribution.Store;

/// <summary>Registered repositories: the clones later backfills rescan.</summary>
public sealed class RepositoryStore(IDbConnectionFactory connections, TimeProvider time)
{
    private const string UpsertSql = """
        INSERT INTO repositories (repo_slug, display_slug, provider, clone_path, default_branch, registered_ts)
        VALUES (@Slug, @Display, @Provider, @ClonePath, @DefaultBranch, @Now)
        ON CONFLICT (repo_slug) DO UPDATE SET
            clone_path = COALESCE(excluded.clone_path, repositories.clone_path),
            default_branch = COALESCE(excluded.default_branch, repositories.default_branch),
            provider = excluded.provider
        """;

    public async Task RegisterAsync(string slug, string provider, string? clonePath, string? defaultBranch, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(UpsertSql, new
        {
            Slug = RepoSlug.Normalize(slug),
            Display = slug.Trim().Trim('/'),
            Provider = provider,
            ClonePath = clonePath,
            DefaultBranch = defaultBranch,
            Now = time.GetUtcNow(),
        }, cancellationToken: cancellationToken));
    }

    private const string MarkScannedSql = "UPDATE repositories SET last_scanned_ts = @Now WHERE repo_slug = @Slug";

    public async Task MarkScannedAsync(string slug, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(MarkScannedSql, new { Slug = RepoSlug.Normalize(slug), Now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    private const string ListSql = """
        SELECT repo_slug AS Slug, display_slug AS DisplaySlug, provider AS Provider, clone_path AS ClonePath,
               default_branch AS DefaultBranch, registered_ts AS RegisteredTs, last_scanned_ts AS LastScannedTs
        FROM repositories ORDER BY repo_slug
        """;

    public async Task<IReadOnlyList<RegisteredRepository>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<RegisteredRepository>(new CommandDefinition(ListSql, cancellationToken: cancellationToken))).AsList();
    }

    private const string FindSql = """
        SELECT repo_slug AS Slug, display_slug AS DisplaySlug, provider AS Provider, clone_path AS ClonePath,
               default_branch AS DefaultBranch, registered_ts AS RegisteredTs, last_scanned_ts AS LastScannedTs
        FROM repositories WHERE repo_slug = @Slug
        """;

    public async Task<RegisteredRepository?> FindAsync(string slug, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<RegisteredRepository>(new CommandDefinition(
            FindSql, new { Slug = RepoSlug.Normalize(slug) }, cancellationToken: cancellationToken));
    }
}

/// <summary>A row of <c>repositories</c>.</summary>
public sealed record RegisteredRepository(
    string Slug, string DisplaySlug, string Provider, string? ClonePath, string? DefaultBranch, DateTimeOffset RegisteredTs, DateTimeOffset? LastScannedTs);
