using Attribution.Common;
using Dapper;

namespace Attribution.Store;

/// <summary>A later commit touching a file: its subject and revert relation for classification (or the engine's classification).</summary>
public sealed record TouchEvidence
{
    public required string Sha { get; init; }
    public string? Subject { get; init; }
    public string? Classification { get; init; }
    public string? RevertsSha { get; init; }
    public DateTimeOffset? TouchedTs { get; init; }
}

/// <summary>A session linked to a commit.</summary>
public sealed record SessionLinkEvidence
{
    public required string SessionId { get; init; }
    public required string LinkType { get; init; }
    public double Confidence { get; init; }
}

/// <summary>
/// Read-only queries over the tables other features fill (pr_outcomes, pr_commits, commits, commit_files,
/// downstream_touches, commit_session_link) that decisions and bug reports are judged against.
/// </summary>
public sealed class OutcomeEvidenceStore(IDbConnectionFactory connections)
{
    // The PR columns outcome attribution reads (a PullRequestRow holds what it selects).
    private const string PrColumns = """
        provider AS Provider, pr_number AS PrNumber, state AS State, merged_at AS MergedAt, reverted_at AS RevertedAt,
        merge_commit_sha AS MergeCommitSha, title AS Title
        """;

    private const string FindPrSql = "SELECT " + PrColumns + " FROM pr_outcomes WHERE repo_slug = @Repo AND pr_number = @Number ORDER BY provider";

    public async Task<PullRequestRow?> FindPrAsync(string repo, long number, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<PullRequestRow>(new CommandDefinition(FindPrSql,
            new { Repo = RepoSlug.Normalize(repo), Number = number }, cancellationToken: cancellationToken))).FirstOrDefault();
    }

    private const string PrsForCommitSql = "SELECT " + PrColumns + """
         FROM pr_outcomes p
        WHERE p.repo_slug = @Repo
          AND (p.merge_commit_sha = @Sha
               OR EXISTS (SELECT 1 FROM pr_commits c WHERE c.provider = p.provider AND c.repo_slug = p.repo_slug
                                                    AND c.pr_number = p.pr_number AND c.sha = @Sha))
        ORDER BY CASE WHEN p.state = 'merged' THEN 0 ELSE 1 END, p.pr_number
        """;

    /// <summary>PRs holding a commit (as a member or as the merge commit), merged ones first.</summary>
    public async Task<IReadOnlyList<PullRequestRow>> PrsForCommitAsync(string repo, string sha, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<PullRequestRow>(new CommandDefinition(PrsForCommitSql,
            new { Repo = RepoSlug.Normalize(repo), Sha = sha }, cancellationToken: cancellationToken))).AsList();
    }

    private const string PrCommitsSql = "SELECT sha FROM pr_commits WHERE provider = @Provider AND repo_slug = @Repo AND pr_number = @Number ORDER BY sha";

    public async Task<IReadOnlyList<string>> PrCommitShasAsync(string repo, string provider, long number, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(PrCommitsSql,
            new { Repo = RepoSlug.Normalize(repo), Provider = provider, Number = number }, cancellationToken: cancellationToken))).AsList();
    }

    private const string ResolveShaSql = """
        SELECT sha FROM commits WHERE repo_slug = @Repo AND substr(sha, 1, length(@Prefix)) = @Prefix
        UNION
        SELECT sha FROM pr_commits WHERE repo_slug = @Repo AND substr(sha, 1, length(@Prefix)) = @Prefix
        ORDER BY 1 LIMIT 5
        """;

    /// <summary>Full shas known for an abbreviation (several when ambiguous).</summary>
    public async Task<IReadOnlyList<string>> ResolveShaAsync(string repo, string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(ResolveShaSql,
            new { Repo = RepoSlug.Normalize(repo), Prefix = prefix.ToLowerInvariant() }, cancellationToken: cancellationToken))).AsList();
    }

    // Filtered by target in C#: Dapper sends lists to Npgsql as arrays (no portable IN @list), and one file has few touches.
    private const string RecordedTouchesSql = """
        SELECT t.target_kind AS TargetKind, t.target_key AS TargetKey, t.touch_sha AS Sha, c.subject AS Subject,
               t.classification AS Classification, c.reverts_sha AS RevertsSha, t.touched_ts AS TouchedTs
        FROM downstream_touches t
        JOIN commit_files f ON f.repo_slug = t.repo_slug AND f.sha = t.touch_sha AND f.path = @Path
        LEFT JOIN commits c ON c.repo_slug = t.repo_slug AND c.sha = t.touch_sha
        WHERE t.repo_slug = @Repo AND t.target_kind IN ('pr', 'commit')
        """;

    private const string LaterCommitsSql = """
        SELECT c.sha AS Sha, c.subject AS Subject, NULL AS Classification, c.reverts_sha AS RevertsSha,
               c.committer_ts AS TouchedTs
        FROM commits c
        JOIN commit_files f ON f.repo_slug = c.repo_slug AND f.sha = c.sha AND f.path = @Path
        WHERE c.repo_slug = @Repo AND c.committer_ts > @After
        ORDER BY c.committer_ts
        """;

    /// <summary>
    /// Commits that touched <paramref name="path"/> after <paramref name="after"/>: the downstream touches recorded
    /// for the PR or its commits (classified by the engine), and any later commit touching the file (classified by
    /// the caller), excluding the PR's own commits.
    /// </summary>
    public async Task<IReadOnlyList<TouchEvidence>> TouchesAsync(string repo, string path, long? prNumber, IReadOnlyCollection<string> ownShas,
        DateTimeOffset after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ownShas);
        var slug = RepoSlug.Normalize(repo);
        // The linking engine keys PR touches as "<provider>/<number>" (DownstreamStore.PrKey); within one repo
        // slug the provider is fixed, so either provider's key names this PR.
        var prKeys = prNumber is { } n
            ? new[] { DownstreamStore.PrKey("github", n), DownstreamStore.PrKey("gitlab", n) }
            : [];
        await using var connection = await connections.OpenAsync(cancellationToken);
        // Each row is the touched target, then the touch (from Sha on).
        var recorded = (await connection.QueryAsync<TouchTarget, TouchEvidence, (TouchTarget Target, TouchEvidence Touch)>(
                new CommandDefinition(RecordedTouchesSql, new { Repo = slug, Path = path }, cancellationToken: cancellationToken),
                (target, touch) => (target, touch), splitOn: "Sha"))
            .Where(r => r.Target.TargetKind == "pr" ? prKeys.Contains(r.Target.TargetKey, StringComparer.Ordinal) : ownShas.Contains(r.Target.TargetKey, StringComparer.OrdinalIgnoreCase))
            .Select(r => r.Touch);
        var later = await connection.QueryAsync<TouchEvidence>(new CommandDefinition(LaterCommitsSql,
            new { Repo = slug, Path = path, After = after }, cancellationToken: cancellationToken));
        var own = new HashSet<string>(ownShas, StringComparer.Ordinal);
        return recorded.Concat(later)
            .Where(t => !own.Contains(t.Sha))
            .GroupBy(t => t.Sha, StringComparer.Ordinal)
            .Select(g => g.First())
            .ToList();
    }

    private sealed record TouchTarget
    {
        public required string TargetKind { get; init; }
        public required string TargetKey { get; init; }
    }

    private const string SessionsSql = """
        SELECT session_id AS SessionId, link_type AS LinkType, confidence AS Confidence
        FROM commit_session_link WHERE repo_slug = @Repo AND commit_sha = @Sha AND confidence >= @Min
        ORDER BY confidence DESC, session_id
        """;

    public async Task<IReadOnlyList<SessionLinkEvidence>> SessionsForCommitAsync(string repo, string sha, double minConfidence, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<SessionLinkEvidence>(new CommandDefinition(SessionsSql,
            new { Repo = RepoSlug.Normalize(repo), Sha = sha, Min = minConfidence }, cancellationToken: cancellationToken))).AsList();
    }

    private const string KnownPathsSql = "SELECT DISTINCT path FROM commit_files WHERE repo_slug = @Repo";

    /// <summary>Every path the recorded history of a repository touched (the tree stand-in when no clone is registered).</summary>
    public async Task<IReadOnlyList<string>> KnownPathsAsync(string repo, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(KnownPathsSql,
            new { Repo = RepoSlug.Normalize(repo) }, cancellationToken: cancellationToken))).AsList();
    }
}
