using Attribution.Common;
using Dapper;

namespace Attribution.Store;

/// <summary>
/// Read side of the attribution engine over the session (0003) and webhook/git (0002) tables. Written
/// against the schema directly so the engine does not depend on the ingest features' own stores.
/// </summary>
public sealed class LinkingInputStore(IDbConnectionFactory connections)
{
    /// <summary>A session's columns as <see cref="LinkSession"/> reads them.</summary>
    private const string SessionColumns =
        "session_id AS SessionId, agent AS Agent, model AS Model, repo_slug AS RepoSlug, started_ts AS StartedTs, ended_ts AS EndedTs, parent_session_id AS ParentSessionId, cwd AS Cwd, remote_id AS RemoteId";

    private const string SessionsSql = $"""
        SELECT {SessionColumns}
        FROM sessions
        WHERE repo_slug = @Repo AND (ended_ts IS NULL OR ended_ts >= @Since)
        """;

    public async Task<IReadOnlyList<LinkSession>> SessionsAsync(string repoSlug, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<LinkSession>(new CommandDefinition(SessionsSql, new { Repo = RepoSlug.Normalize(repoSlug), Since = since }, cancellationToken: cancellationToken))).AsList();
    }

    private const string PathsSql = "SELECT DISTINCT path FROM commit_files WHERE repo_slug = @Repo";

    /// <summary>Every path the repository's ingested commits touched: what session paths are mapped onto.</summary>
    public async Task<IReadOnlyList<string>> PathsAsync(string repoSlug, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(PathsSql, new { Repo = RepoSlug.Normalize(repoSlug) }, cancellationToken: cancellationToken))).AsList();
    }

    private const string SessionsBeforeSql = """
        SELECT count(*) FROM sessions WHERE ended_ts IS NOT NULL AND ended_ts < @Since AND (@Repo IS NULL OR repo_slug = @Repo)
        """;

    /// <summary>Sessions (of one repository, or all) that ended before <paramref name="since"/>: what a window leaves out.</summary>
    public async Task<int> SessionsBeforeAsync(string? repoSlug, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var repo = repoSlug is null ? null : RepoSlug.Normalize(repoSlug);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(SessionsBeforeSql, new { Repo = repo, Since = since }, cancellationToken: cancellationToken));
    }

    private const string SessionsWithoutRepoSql = $"""
        SELECT {SessionColumns}
        FROM sessions
        WHERE repo_slug IS NULL AND (ended_ts IS NULL OR ended_ts >= @Since)
        """;

    public async Task<IReadOnlyList<LinkSession>> SessionsWithoutRepoAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<LinkSession>(new CommandDefinition(SessionsWithoutRepoSql, new { Since = since }, cancellationToken: cancellationToken))).AsList();
    }

    private const string EventsColumns = """
        e.session_id AS SessionId, e.kind AS Kind, e.ts AS Ts, e.command AS Command, e.output_excerpt AS OutputExcerpt,
        COALESCE(e.is_error, 0) AS IsError, e.path AS Path, e.abs_path AS AbsPath, e.added_text AS AddedText, e.sha AS Sha,
        e.branch AS Branch, e.subject AS Subject, e.url AS Url, e.pr_number AS PrNumber
        """;

    private const string EventsSql = "SELECT " + EventsColumns + """

        FROM session_events e JOIN sessions s ON s.session_id = e.session_id
        WHERE s.repo_slug = @Repo AND (s.ended_ts IS NULL OR s.ended_ts >= @Since)
        ORDER BY e.ts, e.id
        """;

    public async Task<IReadOnlyList<LinkSessionEvent>> EventsAsync(string repoSlug, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<LinkSessionEvent>(new CommandDefinition(EventsSql, new { Repo = RepoSlug.Normalize(repoSlug), Since = since }, cancellationToken: cancellationToken))).AsList();
    }

    private const string PrEventsSql = "SELECT " + EventsColumns + """

        FROM session_events e JOIN sessions s ON s.session_id = e.session_id
        WHERE s.repo_slug = @Repo AND e.kind IN ('branch', 'push', 'pr')
        """;

    /// <summary>Branch, push and PR events of every session of the repository (PR links are recomputed whole).</summary>
    public async Task<IReadOnlyList<LinkSessionEvent>> PrEventsAsync(string repoSlug, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<LinkSessionEvent>(new CommandDefinition(PrEventsSql, new { Repo = RepoSlug.Normalize(repoSlug) }, cancellationToken: cancellationToken))).AsList();
    }

    private const string CommitEventsWithoutRepoSql = "SELECT " + EventsColumns + """

        FROM session_events e JOIN sessions s ON s.session_id = e.session_id
        WHERE s.repo_slug IS NULL AND e.kind = 'commit' AND e.sha IS NOT NULL AND (s.ended_ts IS NULL OR s.ended_ts >= @Since)
        """;

    public async Task<IReadOnlyList<LinkSessionEvent>> CommitEventsWithoutRepoAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<LinkSessionEvent>(new CommandDefinition(CommitEventsWithoutRepoSql, new { Since = since }, cancellationToken: cancellationToken))).AsList();
    }

    // What the linker reads of a commit (LinkCommit), for every query of commits below.
    private const string CommitColumns = """
        SELECT sha AS Sha, committer_ts AS CommitterTs, author_ts AS AuthorTs, author_email AS AuthorEmail, committer_email AS CommitterEmail, subject AS Subject, message AS Message, trailers_json AS TrailersJson,
               agent AS Agent, agent_model AS AgentModel, reverts_sha AS RevertsSha, parents AS Parents
        """;

    private const string CommitsSql = CommitColumns + """

        FROM commits
        WHERE repo_slug = @Repo AND committer_ts IS NOT NULL AND committer_ts >= @From
        """;

    public async Task<IReadOnlyList<LinkCommit>> CommitsAsync(string repoSlug, DateTimeOffset from, CancellationToken cancellationToken, DateTimeOffset? before = null)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<LinkCommit>(new CommandDefinition(CommitsSql + (before is null ? "" : BeforeClause),
            new { Repo = RepoSlug.Normalize(repoSlug), From = from, Before = before }, cancellationToken: cancellationToken))).AsList();
    }

    // Only commits committed before a time: the part of a window a pass has not read yet.
    private const string BeforeClause = " AND committer_ts < @Before";
    private const string FilesBeforeClause = " AND c.committer_ts < @Before";

    private const string SignedTrailersSql = """
        SELECT trailers_json FROM commits
        WHERE repo_slug = @Repo AND LOWER(trailers_json) LIKE '%agents-attribution%'
          AND (committer_ts IS NULL OR committer_ts >= @From)
        """;

    /// <summary>The stored trailers (JSON) of the repository's commits that carry an <c>Agents-Attribution</c> trailer.</summary>
    public async Task<IReadOnlyList<string>> SignedTrailersAsync(string repoSlug, DateTimeOffset from, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(SignedTrailersSql, new { Repo = RepoSlug.Normalize(repoSlug), From = from }, cancellationToken: cancellationToken))).AsList();
    }

    private const string SessionsByIdSql = $"""
        SELECT {SessionColumns}
        FROM sessions
        WHERE session_id = @Id
        """;

    /// <summary>The ingested sessions among <paramref name="ids"/>, whatever repository they belong to.</summary>
    public async Task<IReadOnlyList<LinkSession>> SessionsByIdAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var found = new List<LinkSession>();
        await using var connection = await connections.OpenAsync(cancellationToken);
        foreach (var id in ids)
        {
            if (await connection.QuerySingleOrDefaultAsync<LinkSession>(new CommandDefinition(SessionsByIdSql, new { Id = id }, cancellationToken: cancellationToken)) is { } session)
            {
                found.Add(session);
            }
        }

        return found;
    }

    private const string CommitFilesSql = """
        SELECT f.sha AS Sha, f.path AS Path, f.old_path AS OldPath
        FROM commit_files f JOIN commits c ON c.repo_slug = f.repo_slug AND c.sha = f.sha
        WHERE f.repo_slug = @Repo AND c.committer_ts IS NOT NULL AND c.committer_ts >= @From
        """;

    public async Task<IReadOnlyList<LinkCommitFile>> CommitFilesAsync(string repoSlug, DateTimeOffset from, CancellationToken cancellationToken, DateTimeOffset? before = null)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<LinkCommitFile>(new CommandDefinition(CommitFilesSql + (before is null ? "" : FilesBeforeClause),
            new { Repo = RepoSlug.Normalize(repoSlug), From = from, Before = before }, cancellationToken: cancellationToken))).AsList();
    }

    private const string ResolveShaSql = """
        SELECT repo_slug AS RepoSlug, sha AS Sha FROM commits WHERE sha >= @Prefix AND sha < @PrefixEnd ORDER BY repo_slug, sha LIMIT 3
        """;

    private const string ResolveShaInRepoSql = """
        SELECT repo_slug AS RepoSlug, sha AS Sha FROM commits WHERE repo_slug = @Repo AND sha >= @Prefix AND sha < @PrefixEnd ORDER BY sha LIMIT 3
        """;

    /// <summary>Commits whose sha starts with <paramref name="prefix"/> (at most 3: enough to tell "exactly one").</summary>
    public async Task<IReadOnlyList<(string RepoSlug, string Sha)>> ResolveShaAsync(string? repoSlug, string prefix, CancellationToken cancellationToken)
    {
        var clean = prefix.Trim().ToLowerInvariant();
        if (clean.Length < 7 || clean.Length > 40 || !clean.All(Uri.IsHexDigit))
        {
            return [];
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ShaMatch>(new CommandDefinition(
            repoSlug is null ? ResolveShaSql : ResolveShaInRepoSql,
            // A range instead of LIKE so both dialects use the sha index ('g' sorts after every hex digit).
            new { Repo = repoSlug is null ? null : RepoSlug.Normalize(repoSlug), Prefix = clean, PrefixEnd = clean + "g" },
            cancellationToken: cancellationToken));
        return rows.Select(r => (r.RepoSlug, r.Sha)).ToList();
    }

    private const string SessionExistsSql = "SELECT count(*) FROM sessions WHERE session_id = @Id";

    public async Task<bool> SessionExistsAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(SessionExistsSql, new { Id = sessionId }, cancellationToken: cancellationToken)) > 0;
    }

    private const string PullRequestsSql = """
        SELECT provider AS Provider, repo_slug AS RepoSlug, pr_number AS PrNumber, state AS State, merged_at AS MergedAt,
               reverted_at AS RevertedAt, reverted_by_pr AS RevertedByPr, url AS Url, head_ref AS HeadRef, head_sha AS HeadSha,
               base_ref AS BaseRef, merge_commit_sha AS MergeCommitSha
        FROM pr_outcomes WHERE repo_slug = @Repo
        """;

    public async Task<IReadOnlyList<LinkPullRequest>> PullRequestsAsync(string repoSlug, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<LinkPullRequest>(new CommandDefinition(PullRequestsSql, new { Repo = RepoSlug.Normalize(repoSlug) }, cancellationToken: cancellationToken))).AsList();
    }

    private const string PrCommitsSql = "SELECT provider AS Provider, pr_number AS PrNumber, sha AS Sha FROM pr_commits WHERE repo_slug = @Repo";

    public async Task<IReadOnlyList<LinkPrCommit>> PrCommitsAsync(string repoSlug, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<LinkPrCommit>(new CommandDefinition(PrCommitsSql, new { Repo = RepoSlug.Normalize(repoSlug) }, cancellationToken: cancellationToken))).AsList();
    }

    // The events' count and last id come from one read of the repository's events (each was a read of its own).
    private const string FingerprintSql = """
        SELECT
            (SELECT count(*) FROM sessions WHERE repo_slug = @Repo) AS Sessions,
            (SELECT max(updated_ts) FROM sessions WHERE repo_slug = @Repo) AS SessionsUpdated,
            ev.n AS Events,
            ev.last_id AS LastEvent,
            (SELECT count(*) FROM commits WHERE repo_slug = @Repo) AS Commits,
            (SELECT max(updated_ts) FROM commits WHERE repo_slug = @Repo) AS CommitsUpdated,
            (SELECT count(*) FROM pr_outcomes WHERE repo_slug = @Repo) AS Prs,
            (SELECT max(updated_ts) FROM pr_outcomes WHERE repo_slug = @Repo) AS PrsUpdated,
            (SELECT count(*) FROM pr_commits WHERE repo_slug = @Repo) AS PrCommits,
            (SELECT count(*) FROM recorded_sessions WHERE repo_slug = @Repo) AS Recorded,
            (SELECT max(updated_ts) FROM recorded_sessions WHERE repo_slug = @Repo) AS RecordedUpdated
        FROM (SELECT count(*) AS n, max(e.id) AS last_id FROM session_events e JOIN sessions s ON s.session_id = e.session_id WHERE s.repo_slug = @Repo) ev
        """;

    /// <summary>
    /// A digest of everything a repository's links depend on (sessions, events, commits, PRs, PR commits):
    /// when it is unchanged since the last pass, the pass can skip the repository.
    /// </summary>
    public async Task<string> FingerprintAsync(string repoSlug, CancellationToken cancellationToken) =>
        (await FingerprintRowAsync(repoSlug, cancellationToken)).Text;

    /// <summary>The counts and high-water marks behind <see cref="FingerprintAsync"/>, as values.</summary>
    public async Task<FingerprintRow> FingerprintRowAsync(string repoSlug, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleAsync<FingerprintRow>(new CommandDefinition(FingerprintSql, new { Repo = RepoSlug.Normalize(repoSlug) }, cancellationToken: cancellationToken));
    }

    private const string CommitsWrittenSinceSql = CommitColumns + """

        FROM commits
        WHERE updated_ts > @Mark AND repo_slug = @Repo AND committer_ts IS NOT NULL
        """;

    /// <summary>The repository's commits written (ingested or updated) after <paramref name="mark"/> (their <c>updated_ts</c>).</summary>
    public async Task<IReadOnlyList<LinkCommit>> CommitsWrittenSinceAsync(string repoSlug, DateTimeOffset mark, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<LinkCommit>(new CommandDefinition(CommitsWrittenSinceSql, new { Repo = RepoSlug.Normalize(repoSlug), Mark = mark }, cancellationToken: cancellationToken))).AsList();
    }

    private const string SessionsChangedSinceSql = """
        SELECT session_id FROM sessions WHERE repo_slug = @Repo AND updated_ts > @Mark
        UNION
        SELECT DISTINCT e.session_id FROM session_events e
        WHERE e.id > @LastEvent AND e.session_id IN (SELECT session_id FROM sessions WHERE repo_slug = @Repo)
        """;

    /// <summary>Sessions of the repository written after <paramref name="mark"/> (their <c>updated_ts</c>) or with an event after <paramref name="lastEvent"/>.</summary>
    public async Task<IReadOnlyList<string>> SessionsChangedSinceAsync(string repoSlug, DateTimeOffset mark, long lastEvent, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(SessionsChangedSinceSql, new { Repo = RepoSlug.Normalize(repoSlug), Mark = mark, LastEvent = lastEvent }, cancellationToken: cancellationToken))).AsList();
    }

    private const string SessionsActiveSinceSql = $"""
        SELECT {SessionColumns}
        FROM sessions s
        WHERE repo_slug = @Repo AND (ended_ts IS NULL OR ended_ts >= @Since)
          AND (ended_ts IS NULL OR ended_ts >= @Active
               OR EXISTS (SELECT 1 FROM session_events e WHERE e.session_id = s.session_id AND e.ts >= @Active))
        """;

    /// <summary>The sessions <see cref="SessionsAsync"/> answers that were still active at <paramref name="active"/> (an end or an event from then on).</summary>
    public async Task<IReadOnlyList<LinkSession>> SessionsActiveSinceAsync(string repoSlug, DateTimeOffset since, DateTimeOffset active, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<LinkSession>(new CommandDefinition(SessionsActiveSinceSql, new { Repo = RepoSlug.Normalize(repoSlug), Since = since, Active = active }, cancellationToken: cancellationToken))).AsList();
    }

    private const string EventsOfSql = "SELECT e.id AS Id, " + EventsColumns + """

        FROM session_events e
        WHERE e.session_id = ANY(@Ids)
        """;

    /// <summary>Every event of the given sessions, in the order <see cref="EventsAsync"/> gives them.</summary>
    public async Task<IReadOnlyList<LinkSessionEvent>> EventsOfAsync(IReadOnlyCollection<string> sessionIds, CancellationToken cancellationToken)
    {
        var rows = await SqlLists.QueryAsync<LinkSessionEvent>(connections, EventsOfSql, sessionIds, ids => new { Ids = ids }, cancellationToken);
        return rows.OrderBy(r => r.Ts).ThenBy(r => r.Id).ToList();
    }

    // The time condition is written so that no planner reads it as a range of ix_commits_time: SQLite (no statistics)
    // otherwise scans every commit of the repository by time and tests each against the list (3x slower at 14,000 shas).
    private const string CommitsOfSql = """
        SELECT sha AS Sha, committer_ts AS CommitterTs, author_ts AS AuthorTs, author_email AS AuthorEmail, subject AS Subject,
               agent AS Agent, reverts_sha AS RevertsSha, parents AS Parents
        FROM commits
        WHERE repo_slug = @Repo AND sha = ANY(@Shas) AND COALESCE(committer_ts, '') <> ''
        """;

    /// <summary>
    /// The repository's commits among <paramref name="shas"/>, with what planning a pass and the downstream work read of
    /// them (times, author, subject, agent, revert, parents): not their message, trailers, committer or model, which
    /// only scoring reads (<see cref="CommitsAsync"/>). An incremental pass reads tens of thousands of later commits so.
    /// </summary>
    public async Task<IReadOnlyList<LinkCommit>> CommitsOfAsync(string repoSlug, IEnumerable<string> shas, CancellationToken cancellationToken) =>
        await SqlLists.QueryAsync<LinkCommit>(connections, CommitsOfSql, shas, chunk => new { Repo = RepoSlug.Normalize(repoSlug), Shas = chunk }, cancellationToken);

    private const string CommitFilesOfSql = "SELECT sha AS Sha, path AS Path, old_path AS OldPath FROM commit_files WHERE repo_slug = @Repo AND sha = ANY(@Shas)";

    /// <summary>The file changes of the given commits.</summary>
    public async Task<IReadOnlyList<LinkCommitFile>> CommitFilesOfAsync(string repoSlug, IEnumerable<string> shas, CancellationToken cancellationToken) =>
        await SqlLists.QueryAsync<LinkCommitFile>(connections, CommitFilesOfSql, shas, chunk => new { Repo = RepoSlug.Normalize(repoSlug), Shas = chunk }, cancellationToken);

    private const string FilesOnPathsSql = """
        SELECT sha AS Sha, path AS Path, old_path AS OldPath FROM commit_files WHERE repo_slug = @Repo AND path = ANY(@Paths)
        UNION ALL
        SELECT sha AS Sha, path AS Path, old_path AS OldPath FROM commit_files WHERE repo_slug = @Repo AND old_path = ANY(@Paths)
        """;

    /// <summary>
    /// Every file change of the repository to or from one of <paramref name="paths"/> (a rename names both); a rename
    /// between two of them comes twice (the callers key rows by commit and path; a UNION's sort cost a third more).
    /// </summary>
    public async Task<IReadOnlyList<LinkCommitFile>> FilesOnPathsAsync(string repoSlug, IEnumerable<string> paths, CancellationToken cancellationToken) =>
        await SqlLists.QueryAsync<LinkCommitFile>(connections, FilesOnPathsSql, paths, chunk => new { Repo = RepoSlug.Normalize(repoSlug), Paths = chunk }, cancellationToken);

    private const string CommitOutputsNamingSql = """
        SELECT e.session_id AS SessionId, e.sha AS Sha FROM session_events e JOIN sessions s ON s.session_id = e.session_id
        WHERE s.repo_slug = @Repo AND e.kind = 'commit' AND e.sha = ANY(@Prefixes)
        """;

    /// <summary>Commit outputs of the repository's sessions whose printed sha is a prefix (7 to 40 characters) of one of <paramref name="shas"/>.</summary>
    public async Task<IReadOnlyList<(string SessionId, string Sha)>> CommitOutputsNamingAsync(string repoSlug, IEnumerable<string> shas, CancellationToken cancellationToken)
    {
        var prefixes = shas.SelectMany(sha => Enumerable.Range(7, Math.Max(0, sha.Length - 6)).Select(n => sha[..n]));
        return await SqlLists.QueryAsync<(string SessionId, string Sha)>(connections, CommitOutputsNamingSql, prefixes,
            chunk => new { Repo = RepoSlug.Normalize(repoSlug), Prefixes = chunk }, cancellationToken);
    }

    private const string LinkedCommitsOfSessionsSql = """
        SELECT c.sha AS Sha, c.committer_ts AS CommitterTs, c.author_ts AS AuthorTs
        FROM commit_session_link l JOIN commits c ON c.repo_slug = l.repo_slug AND c.sha = l.commit_sha
        WHERE l.repo_slug = @Repo AND l.session_id = ANY(@Ids) AND COALESCE(c.committer_ts, '') <> ''
        """;

    /// <summary>
    /// The commits (sha and times only) the given sessions are linked to in the repository. (The committer-time test is
    /// written so SQLite does not walk the commits' time index instead of the sessions' links: 260 ms against 1 ms on 100k.)
    /// </summary>
    public async Task<IReadOnlyList<LinkCommit>> LinkedCommitsOfSessionsAsync(string repoSlug, IEnumerable<string> sessionIds, CancellationToken cancellationToken) =>
        await SqlLists.QueryAsync<LinkCommit>(connections, LinkedCommitsOfSessionsSql, sessionIds, chunk => new { Repo = RepoSlug.Normalize(repoSlug), Ids = chunk }, cancellationToken);

    private const string RepoSlugsSql = """
        SELECT repo_slug FROM repositories
        UNION SELECT DISTINCT repo_slug FROM sessions WHERE repo_slug IS NOT NULL
        UNION SELECT DISTINCT repo_slug FROM pr_outcomes
        """;

    /// <summary>Every repository the engine may have work for.</summary>
    public async Task<IReadOnlyList<string>> RepoSlugsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(RepoSlugsSql, cancellationToken: cancellationToken))).Order(StringComparer.Ordinal).ToList();
    }
}

/// <summary>A commit matched by sha prefix.</summary>
public sealed class ShaMatch
{
    public string RepoSlug { get; set; } = "";
    public string Sha { get; set; } = "";
}

/// <summary>Counts and high-water marks behind <see cref="LinkingInputStore.FingerprintAsync"/>.</summary>
public sealed class FingerprintRow
{
    public string Text => string.Join('|', Sessions, SessionsUpdated, Events, LastEvent, Commits, CommitsUpdated, Prs, PrsUpdated, PrCommits, Recorded, RecordedUpdated);

    public long Sessions { get; set; }
    public string? SessionsUpdated { get; set; }
    public long Events { get; set; }
    public long? LastEvent { get; set; }
    public long Commits { get; set; }
    public string? CommitsUpdated { get; set; }
    public long Prs { get; set; }
    public string? PrsUpdated { get; set; }
    public long PrCommits { get; set; }
    public long Recorded { get; set; }
    public string? RecordedUpdated { get; set; }
}
