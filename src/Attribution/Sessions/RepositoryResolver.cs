using Attribution.Git;
using Attribution.Common;
using Attribution.Store;

namespace Attribution.Sessions;

/// <summary>Finds a session's repository: <c>--repo</c>, else its cwd's registered origin, else the one registered repository holding its commits.</summary>
internal sealed class RepositoryResolver(SessionStore store, RepositoryStore repositories, ILogger logger, string? explicitRepo)
{
    private readonly Dictionary<string, string?> _byCwd = new(StringComparer.Ordinal);
    private bool? _anyRegistered;

    public async Task<string?> ResolveAsync(SessionDraft draft, (string? RepoSlug, string? Cwd)? existing, CancellationToken cancellationToken)
    {
        if (explicitRepo is not null)
        {
            return explicitRepo;
        }

        if (existing?.RepoSlug is not null)
        {
            return null;
        }

        // Both remaining rules need a registered repository; with none there is nothing to look up.
        _anyRegistered ??= (await repositories.ListAsync(cancellationToken)).Count > 0;
        if (_anyRegistered == false)
        {
            return null;
        }

        var cwd = draft.Cwd ?? existing?.Cwd;
        if (cwd is not null)
        {
            if (!_byCwd.TryGetValue(cwd, out var fromCwd))
            {
                fromCwd = RemoteReader.OriginSlug(cwd) is { } origin && await repositories.FindAsync(origin, cancellationToken) is { } registered
                    ? registered.Slug
                    : null;
                _byCwd[cwd] = fromCwd;
            }

            if (fromCwd is not null)
            {
                return fromCwd;
            }
        }

        var shas = draft.Events.Where(e => e.Kind == SessionEventKinds.Commit && e.Sha is not null).Select(e => e.Sha!).ToList();
        return await FromCommitsAsync(draft.SessionId, shas, includeStored: existing is not null, cancellationToken);
    }

    public async Task<string?> FromCommitsAsync(string sessionId, IReadOnlyList<string> newShas, bool includeStored, CancellationToken cancellationToken)
    {
        var shas = includeStored ? [.. newShas, .. await store.ListCommitShasAsync(sessionId, cancellationToken)] : newShas;
        if (shas.Count == 0)
        {
            return null;
        }

        var repos = await store.FindRepositoriesWithCommitsAsync(shas, cancellationToken);
        if (repos.Count == 1)
        {
            SessionLog.RepositoryResolved(logger, sessionId, repos[0], "commit");
            return repos[0];
        }

        return null;
    }

    /// <summary>Gives sessions stored without a repository the one registered repository holding their commits.</summary>
    public async Task ResolveOrphansAsync(CancellationToken cancellationToken)
    {
        // Nothing can match while no repository is registered: skip the per-session queries.
        if ((await repositories.ListAsync(cancellationToken)).Count == 0)
        {
            return;
        }

        foreach (var sessionId in await store.ListUnresolvedSessionIdsAsync(cancellationToken))
        {
            var slug = await FromCommitsAsync(sessionId, [], includeStored: true, cancellationToken);
            if (slug is not null && await store.SetRepositoryAsync(sessionId, slug, cancellationToken))
            {
                SessionLog.RepositoryResolved(logger, sessionId, slug, "commit");
            }
        }
    }
}
