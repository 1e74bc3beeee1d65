using System.Globalization;
using System.Text;
using Attribution.Common;
using Dapper;

namespace Attribution.Store;

/// <summary>
/// The read side of the attribution graph, for every surface (API, CLI, MCP and the dashboard's session, commit and PR
/// pages): commits by full or abbreviated sha, their session links, PRs, CI runs and downstream touches; sessions with
/// their commits and PRs; filtered lists of PR outcomes and CI runs; and the pages' detail lists. One query per
/// question, shared by the surfaces that ask it. Read-only: the engine writes the graph.
/// </summary>
public sealed class AttributionQueryStore(IDbConnectionFactory connections)
{
    private const string CommitColumns = "repo_slug, sha, parents, author_name, author_email, author_ts, committer_name, committer_ts, message, subject, reverts_sha, agent, agent_model, source";

    private const string FindCommitExactSql = "SELECT " + CommitColumns + " FROM commits WHERE sha = @Sha";
    // A range over the sha index (shas are lowercase hex, and 'g' sorts after every hex digit), then LIKE
    // for exactness: LIKE alone cannot use a plain index in SQLite (case-insensitive) or PostgreSQL (collation).
    private const string FindCommitPrefixSql = "SELECT " + CommitColumns + " FROM commits WHERE sha >= @Low AND sha < @High AND sha LIKE @Pattern";
    private const string RepoClause = " AND repo_slug = @RepoSlug";
    private const string FindCommitOrderSql = " ORDER BY repo_slug, sha LIMIT @Limit";

    /// <summary>
    /// Commits whose sha is <paramref name="shaOrPrefix"/> (40 hex) or starts with it (shorter), optionally
    /// within one repository; at most <paramref name="limit"/> rows. The caller validated the hex.
    /// </summary>
    public async Task<IReadOnlyList<CommitRow>> FindCommitsAsync(string shaOrPrefix, string? repoSlug, int limit, CancellationToken cancellationToken)
    {
        var sha = shaOrPrefix.ToLowerInvariant();
        var sql = new StringBuilder(sha.Length == 40 ? FindCommitExactSql : FindCommitPrefixSql);
        if (repoSlug is not null)
        {
            sql.Append(RepoClause);
        }

        sql.Append(FindCommitOrderSql);
        return await connections.ListAsync<CommitRow>(sql.ToString(), new
        {
            Sha = sha,
            Low = sha,
            High = sha + "g",
            Pattern = sha + "%",
            RepoSlug = repoSlug is null ? null : RepoSlug.Normalize(repoSlug),
            Limit = limit,
        }, cancellationToken);
    }

    private const string CommitLinksSql = """
        SELECT l.commit_sha, l.repo_slug, l.session_id, l.link_type, l.confidence, l.evidence_json, l.established_ts,
               s.agent, s.model, s.cost_usd, s.title AS session_title, s.started_ts AS session_started_ts
        FROM commit_session_link l
        LEFT JOIN sessions s ON s.session_id = l.session_id
        WHERE l.repo_slug = @RepoSlug AND l.commit_sha = @Sha
        ORDER BY l.confidence DESC, l.session_id
        """;

    /// <summary>Every session linked to the commit, strongest first (the caller applies the confidence floor).</summary>
    public async Task<IReadOnlyList<LinkRow>> GetCommitLinksAsync(string repoSlug, string sha, CancellationToken cancellationToken)
    {
        return await connections.ListAsync<LinkRow>(CommitLinksSql,
            new { RepoSlug = RepoSlug.Normalize(repoSlug), Sha = sha.ToLowerInvariant() }, cancellationToken);
    }

    private const string PrColumns = """
        p.provider, p.repo_slug, p.pr_number, p.title, p.state, p.merged_at, p.reverted_at, p.reverted_by_pr, p.author,
        p.url, p.head_ref, p.head_sha, p.base_ref, p.merge_commit_sha, p.created_at, p.closed_at, p.linked_session_ids,
        p.downstream_touch_count, p.last_downstream_touch_ts, p.updated_ts
        """;

    // Three indexed lookups (merge sha, head, membership) instead of one OR that visits every PR of the repo.
    private const string CommitPullRequestsSql =
        "SELECT " + PrColumns + " FROM pr_outcomes p WHERE p.merge_commit_sha = @Sha AND p.repo_slug = @RepoSlug"
        + " UNION SELECT " + PrColumns + " FROM pr_outcomes p WHERE p.repo_slug = @RepoSlug AND p.head_sha = @Sha"
        + " UNION SELECT " + PrColumns + """

         FROM pr_commits c
         JOIN pr_outcomes p ON p.provider = c.provider AND p.repo_slug = c.repo_slug AND p.pr_number = c.pr_number
         WHERE c.repo_slug = @RepoSlug AND c.sha = @Sha
         ORDER BY pr_number DESC, provider
        """;

    /// <summary>PRs holding the commit (membership, head) or whose merge commit it is.</summary>
    public async Task<IReadOnlyList<PullRequestRow>> GetCommitPullRequestsAsync(string repoSlug, string sha, CancellationToken cancellationToken)
    {
        return await connections.ListAsync<PullRequestRow>(CommitPullRequestsSql,
            new { RepoSlug = RepoSlug.Normalize(repoSlug), Sha = sha.ToLowerInvariant() }, cancellationToken);
    }

    private const string CiColumns = "provider, repo_slug, run_id, commit_sha, status, workflow_name, branch, url, started_ts, completed_ts, updated_ts";

    // COALESCE over text timestamps of one fixed-width format sorts the same in both dialects.
    private const string CiOrder = " ORDER BY COALESCE(completed_ts, started_ts, updated_ts) DESC, id DESC";

    // {0}: a list of named parameters (see InList); Dapper would send a single array parameter to PostgreSQL.
    private const string CommitCiRunsSql = "SELECT " + CiColumns + " FROM ci_runs WHERE repo_slug = @RepoSlug AND commit_sha IN {0}" + CiOrder;

    /// <summary>CI runs of any of the given commits (newest first).</summary>
    public async Task<IReadOnlyList<CiRunRow>> GetCiRunsForCommitsAsync(string repoSlug, IReadOnlyCollection<string> shas, CancellationToken cancellationToken)
    {
        if (shas.Count == 0)
        {
            return [];
        }

        var parameters = new DynamicParameters(new { RepoSlug = RepoSlug.Normalize(repoSlug) });
        var sql = string.Format(CultureInfo.InvariantCulture, CommitCiRunsSql, InList(parameters, "Sha", shas.Select(s => s.ToLowerInvariant()).Distinct()));
        return await connections.ListAsync<CiRunRow>(sql, parameters, cancellationToken);
    }

    private const string TouchesSql = """
        SELECT touch_sha, classification, touched_ts FROM downstream_touches
        WHERE repo_slug = @RepoSlug AND target_kind IN {0} AND target_key IN {1}
        ORDER BY touched_ts, touch_sha
        """;

    /// <summary>Downstream touches recorded for a target (kinds and keys: the accepted spellings of one target).</summary>
    public async Task<IReadOnlyList<TouchRow>> GetTouchesAsync(string repoSlug, IReadOnlyCollection<string> targetKinds, IReadOnlyCollection<string> targetKeys, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(new { RepoSlug = RepoSlug.Normalize(repoSlug) });
        var sql = string.Format(CultureInfo.InvariantCulture, TouchesSql, InList(parameters, "Kind", targetKinds), InList(parameters, "Key", targetKeys));
        return await connections.ListAsync<TouchRow>(sql, parameters, cancellationToken);
    }

    // An equality lookup on (repo_slug, reverts_sha). The time bounds and the order are on COALESCE(committer_ts)
    // so no planner can use the (repo_slug, committer_ts) index instead: without statistics SQLite took it for the
    // range or just for the ORDER BY, and read every commit of the window or of the repository (1,700–20,000 rows,
    // 3–10 ms) for each commit document.
    private const string RevertsOfSql = """
        SELECT sha AS touch_sha, 'revert' AS classification, committer_ts AS touched_ts
        FROM commits
        WHERE repo_slug = @RepoSlug AND reverts_sha = @Sha AND COALESCE(committer_ts, '') >= @From AND COALESCE(committer_ts, '') < @To
        ORDER BY COALESCE(committer_ts, ''), sha
        """;

    /// <summary>
    /// Commits committed in [<paramref name="from"/>, <paramref name="to"/>) whose message says
    /// <c>This reverts commit &lt;sha&gt;</c> of this one, as revert touches.
    /// </summary>
    public async Task<IReadOnlyList<TouchRow>> GetRevertsOfAsync(string repoSlug, string sha, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        return await connections.ListAsync<TouchRow>(RevertsOfSql,
            new { RepoSlug = RepoSlug.Normalize(repoSlug), Sha = sha.ToLowerInvariant(), From = from, To = to }, cancellationToken);
    }

    /// <summary>
    /// Everything the commit document needs besides the commit row, read on one connection in one command (one
    /// round trip; the per-query methods above open a connection each, which was most of a document's cost):
    /// links, PRs, CI runs, downstream touches of the given target spellings, and — when
    /// <paramref name="revertsWindow"/> is given — commits in that window whose message reverts this one.
    /// </summary>
    public async Task<CommitGraphRows> GetCommitGraphAsync(
        string repoSlug,
        string sha,
        IReadOnlyCollection<string> touchKinds,
        IReadOnlyCollection<string> touchKeys,
        (DateTimeOffset From, DateTimeOffset To)? revertsWindow,
        CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(new { RepoSlug = RepoSlug.Normalize(repoSlug), Sha = sha.ToLowerInvariant() });
        var sql = new StringBuilder()
            .Append(CommitLinksSql).Append(";\n")
            .Append(CommitPullRequestsSql).Append(";\n")
            .Append(string.Format(CultureInfo.InvariantCulture, CommitCiRunsSql, "(@Sha)")).Append(";\n")
            .Append(string.Format(CultureInfo.InvariantCulture, TouchesSql, InList(parameters, "Kind", touchKinds), InList(parameters, "Key", touchKeys)));
        if (revertsWindow is { } window)
        {
            parameters.Add("From", window.From);
            parameters.Add("To", window.To);
            sql.Append(";\n").Append(RevertsOfSql);
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql.ToString(), parameters, cancellationToken: cancellationToken));
        var links = (await results.ReadAsync<LinkRow>()).AsList();
        var pullRequests = (await results.ReadAsync<PullRequestRow>()).AsList();
        var ciRuns = (await results.ReadAsync<CiRunRow>()).AsList();
        var touches = (await results.ReadAsync<TouchRow>()).AsList();
        var reverts = revertsWindow is null ? [] : (await results.ReadAsync<TouchRow>()).AsList();
        return new CommitGraphRows(links, pullRequests, ciRuns, touches, reverts);
    }

    // substr rather than LIKE: ids may hold '_' or '%', which LIKE would read as wildcards.
    private const string SessionsByPrefixSql = """
        SELECT session_id, agent, model, started_ts, ended_ts, git_branch, repo_slug, input_tokens, output_tokens,
               cache_write_tokens, cache_read_tokens, cost_usd, title
        FROM sessions WHERE substr(session_id, 1, @Length) = @Prefix
        ORDER BY session_id
        LIMIT @Limit
        """;

    /// <summary>Sessions whose id starts with <paramref name="prefix"/>, at most <paramref name="limit"/>, by id.</summary>
    public async Task<IReadOnlyList<SessionRecord>> FindSessionsByPrefixAsync(string prefix, int limit, CancellationToken cancellationToken)
    {
        return await connections.ListAsync<SessionRecord>(SessionsByPrefixSql,
            new { Prefix = prefix, Length = prefix.Length, Limit = limit }, cancellationToken);
    }

    public async Task<SessionRecord?> GetSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        return await connections.SingleOrDefaultAsync<SessionRecord>(SessionStore.GetSessionSql, new { SessionId = sessionId }, cancellationToken);
    }

    private const string SessionCommitsSql = """
        SELECT l.commit_sha, l.repo_slug, l.session_id, l.link_type, l.confidence, l.evidence_json, l.established_ts,
               c.subject, COALESCE(c.committer_ts, c.author_ts) AS committer_ts, c.author_name
        FROM commit_session_link l
        LEFT JOIN commits c ON c.repo_slug = l.repo_slug AND c.sha = l.commit_sha
        WHERE l.session_id = @SessionId
        ORDER BY COALESCE(c.committer_ts, c.author_ts, l.established_ts), l.commit_sha
        """;

    /// <summary>Every commit linked to the session with the link's evidence, oldest first (the caller applies the confidence floor).</summary>
    public async Task<IReadOnlyList<LinkRow>> GetSessionCommitsAsync(string sessionId, CancellationToken cancellationToken)
    {
        return await connections.ListAsync<LinkRow>(SessionCommitsSql, new { SessionId = sessionId }, cancellationToken);
    }

    private const string SessionPullRequestsSql = "SELECT " + PrColumns + """

        FROM session_pr_links s
        JOIN pr_outcomes p ON p.provider = s.provider AND p.repo_slug = s.repo_slug AND p.pr_number = s.pr_number
        WHERE s.session_id = @SessionId
        ORDER BY p.pr_number, p.provider
        """;

    /// <summary>PRs the engine linked to the session.</summary>
    public async Task<IReadOnlyList<PullRequestRow>> GetSessionPullRequestsAsync(string sessionId, CancellationToken cancellationToken)
    {
        return await connections.ListAsync<PullRequestRow>(SessionPullRequestsSql, new { SessionId = sessionId }, cancellationToken);
    }

    private const string OnePrSql = "SELECT " + PrColumns + " FROM pr_outcomes p WHERE p.provider = @Provider AND p.repo_slug = @RepoSlug AND p.pr_number = @Number";

    /// <summary>One PR outcome by its key, or null.</summary>
    public async Task<PullRequestRow?> GetPrOutcomeAsync(string provider, string repoSlug, int number, CancellationToken cancellationToken)
    {
        return await connections.SingleOrDefaultAsync<PullRequestRow>(OnePrSql,
            new { Provider = provider, RepoSlug = repoSlug, Number = number }, cancellationToken);
    }

    private const string ListPrSql = "SELECT " + PrColumns + " FROM pr_outcomes p WHERE 1 = 1";
    private const string PrRepoClause = " AND p.repo_slug = @RepoSlug";
    private const string PrStateClause = " AND p.state = @State";
    private const string PrActivity = "COALESCE(p.merged_at, p.closed_at, p.created_at, p.updated_ts)";
    private const string PrSinceClause = " AND " + PrActivity + " >= @Since";
    private const string PrOrder = " ORDER BY " + PrActivity + " DESC, p.id DESC LIMIT @Limit";

    /// <summary>PR outcomes, newest activity (merge, close, creation) first.</summary>
    public async Task<IReadOnlyList<PullRequestRow>> ListPrOutcomesAsync(PrOutcomeFilter filter, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder(ListPrSql);
        sql.Append(filter.RepoSlug is null ? "" : PrRepoClause);
        sql.Append(filter.State is null ? "" : PrStateClause);
        sql.Append(filter.Since is null ? "" : PrSinceClause);
        sql.Append(PrOrder);
        return await connections.ListAsync<PullRequestRow>(sql.ToString(), new
        {
            RepoSlug = filter.RepoSlug is null ? null : RepoSlug.Normalize(filter.RepoSlug),
            filter.State,
            Since = filter.Since ?? DateTimeOffset.MinValue,
            filter.Limit,
        }, cancellationToken);
    }

    private const string ListCiSql = "SELECT " + CiColumns + " FROM ci_runs WHERE 1 = 1";
    private const string CiRepoClause = " AND repo_slug = @RepoSlug";
    private const string CiShaExactClause = " AND commit_sha = @CommitSha";
    private const string CiShaPrefixClause = " AND commit_sha >= @CommitShaLow AND commit_sha < @CommitShaHigh AND commit_sha LIKE @CommitShaPattern";
    private const string CiStatusClause = " AND status = @Status";

    /// <summary>CI runs, newest first; a commit sha shorter than 40 hex matches as a prefix.</summary>
    public async Task<IReadOnlyList<CiRunRow>> ListCiRunsAsync(CiRunFilter filter, CancellationToken cancellationToken)
    {
        var sha = filter.CommitSha?.ToLowerInvariant();
        var sql = new StringBuilder(ListCiSql);
        sql.Append(filter.RepoSlug is null ? "" : CiRepoClause);
        sql.Append(sha is null ? "" : sha.Length == 40 ? CiShaExactClause : CiShaPrefixClause);
        sql.Append(filter.Status is null ? "" : CiStatusClause);
        sql.Append(CiOrder).Append(" LIMIT @Limit");
        return await connections.ListAsync<CiRunRow>(sql.ToString(), new
        {
            RepoSlug = filter.RepoSlug is null ? null : RepoSlug.Normalize(filter.RepoSlug),
            CommitSha = sha,
            CommitShaLow = sha,
            CommitShaHigh = sha + "g",
            CommitShaPattern = sha + "%",
            filter.Status,
            filter.Limit,
        }, cancellationToken);
    }

    // The pages' detail reads (session, commit, PR): lists the documents do not carry, each with what its page shows.
    private const string SessionEventsSql = """
        SELECT kind, ts, command, output_excerpt, is_error, sha, branch, subject, url, pr_number
        FROM session_events
        WHERE session_id = @Id AND (sha IS NOT NULL OR branch IS NOT NULL OR url IS NOT NULL OR pr_number IS NOT NULL)
        ORDER BY ts, id
        LIMIT 500
        """;

    private const string SessionPrLinksSql = """
        SELECT p.provider, p.repo_slug, p.pr_number, p.session_id, p.reason, p.confidence, p.evidence_json,
               o.title, o.state, o.merged_at, o.reverted_at, o.url, o.downstream_touch_count
        FROM session_pr_links p
        LEFT JOIN pr_outcomes o ON o.provider = p.provider AND o.repo_slug = p.repo_slug AND o.pr_number = p.pr_number
        WHERE p.session_id = @Id
        UNION
        SELECT pc.provider, pc.repo_slug, pc.pr_number, l.session_id, 'commit' AS reason, l.confidence, NULL AS evidence_json,
               o.title, o.state, o.merged_at, o.reverted_at, o.url, o.downstream_touch_count
        FROM commit_session_link l
        JOIN pr_commits pc ON pc.repo_slug = l.repo_slug AND pc.sha = l.commit_sha
        LEFT JOIN pr_outcomes o ON o.provider = pc.provider AND o.repo_slug = pc.repo_slug AND o.pr_number = pc.pr_number
        WHERE l.session_id = @Id
        """;

    private const string SessionCiSql = """
        SELECT DISTINCT r.provider, r.repo_slug, r.run_id, r.commit_sha, r.status, r.workflow_name, r.branch, r.url, r.started_ts, r.completed_ts, r.updated_ts
        FROM ci_runs r JOIN commit_session_link l ON l.commit_sha = r.commit_sha AND l.repo_slug = r.repo_slug
        WHERE l.session_id = @Id
        ORDER BY r.started_ts
        """;

    private const string SessionTouchesSql = """
        SELECT DISTINCT t.repo_slug, t.target_kind, t.target_key, t.touch_sha, t.classification, t.touched_ts, t.files_json, c.subject,
               t.lines_changed, l.confidence AS link_confidence
        FROM downstream_touches t
        JOIN commit_session_link l ON t.repo_slug = l.repo_slug AND t.target_kind = 'commit' AND t.target_key = l.commit_sha
        LEFT JOIN commits c ON c.repo_slug = t.repo_slug AND c.sha = t.touch_sha
        WHERE l.session_id = @Id
        ORDER BY t.touched_ts
        """;

    private const string CommitFilesSql = """
        SELECT path, status, old_path, added_lines, deleted_lines FROM commit_files
        WHERE repo_slug = @Repo AND sha = @Sha ORDER BY path
        """;

    private const string CommitTouchesSql = """
        SELECT t.repo_slug, t.target_kind, t.target_key, t.touch_sha, t.classification, t.touched_ts, t.files_json, c.subject, t.lines_changed
        FROM downstream_touches t LEFT JOIN commits c ON c.repo_slug = t.repo_slug AND c.sha = t.touch_sha
        WHERE t.repo_slug = @Repo AND t.target_kind = 'commit' AND t.target_key = @Sha
        ORDER BY t.touched_ts
        """;

    private const string PrCommitsSql = """
        SELECT pc.sha, pc.source, c.subject, c.committer_ts, c.author_name
        FROM pr_commits pc LEFT JOIN commits c ON c.repo_slug = pc.repo_slug AND c.sha = pc.sha
        WHERE pc.provider = @Provider AND pc.repo_slug = @Repo AND pc.pr_number = @Number
        ORDER BY c.committer_ts, pc.sha
        """;

    private const string PrSessionsSql = """
        SELECT u.provider, u.repo_slug, u.pr_number, u.session_id, u.reason, u.confidence, u.evidence_json,
               s.title AS session_title, s.started_ts AS session_started_ts
        FROM (
            SELECT p.provider, p.repo_slug, p.pr_number, p.session_id, p.reason, p.confidence, p.evidence_json
            FROM session_pr_links p WHERE p.provider = @Provider AND p.repo_slug = @Repo AND p.pr_number = @Number
            UNION
            SELECT pc.provider, pc.repo_slug, pc.pr_number, l.session_id, 'commit' AS reason, l.confidence, NULL AS evidence_json
            FROM pr_commits pc JOIN commit_session_link l ON l.repo_slug = pc.repo_slug AND l.commit_sha = pc.sha
            WHERE pc.provider = @Provider AND pc.repo_slug = @Repo AND pc.pr_number = @Number
        ) u LEFT JOIN sessions s ON s.session_id = u.session_id
        """;

    private const string PrCiSql = """
        SELECT DISTINCT r.provider, r.repo_slug, r.run_id, r.commit_sha, r.status, r.workflow_name, r.branch, r.url, r.started_ts, r.completed_ts, r.updated_ts
        FROM ci_runs r
        WHERE r.repo_slug = @Repo AND (r.commit_sha = @HeadSha OR r.commit_sha = @MergeSha
              OR r.commit_sha IN (SELECT sha FROM pr_commits WHERE provider = @Provider AND repo_slug = @Repo AND pr_number = @Number))
        ORDER BY r.started_ts
        """;

    private const string PrTouchesSql = """
        SELECT DISTINCT t.repo_slug, t.target_kind, t.target_key, t.touch_sha, t.classification, t.touched_ts, t.files_json, c.subject, t.lines_changed
        FROM downstream_touches t
        LEFT JOIN commits c ON c.repo_slug = t.repo_slug AND c.sha = t.touch_sha
        WHERE t.repo_slug = @Repo AND t.target_kind = 'commit'
          AND t.target_key IN (SELECT sha FROM pr_commits WHERE provider = @Provider AND repo_slug = @Repo AND pr_number = @Number)
          AND t.touch_sha NOT IN (SELECT sha FROM pr_commits WHERE provider = @Provider AND repo_slug = @Repo AND pr_number = @Number)
        ORDER BY t.touched_ts
        """;

    public Task<IReadOnlyList<SessionEventRecord>> GetSessionGitEventsAsync(string id, CancellationToken cancellationToken) =>
        connections.ListAsync<SessionEventRecord>(SessionEventsSql, new { Id = id }, cancellationToken);

    /// <summary>PRs the session is linked to, by the engine's PR link or through a linked commit (session page).</summary>
    public Task<IReadOnlyList<PrLinkRow>> GetSessionPrLinksAsync(string id, CancellationToken cancellationToken) =>
        connections.ListAsync<PrLinkRow>(SessionPrLinksSql, new { Id = id }, cancellationToken);

    public Task<IReadOnlyList<CiRunRow>> GetSessionCiRunsAsync(string id, CancellationToken cancellationToken) =>
        connections.ListAsync<CiRunRow>(SessionCiSql, new { Id = id }, cancellationToken);

    /// <summary>Touches of the session's linked commits, with the touching commit's subject, files and changed lines (session page).</summary>
    public Task<IReadOnlyList<TouchRow>> GetSessionTouchesAsync(string id, CancellationToken cancellationToken) =>
        connections.ListAsync<TouchRow>(SessionTouchesSql, new { Id = id }, cancellationToken);

    public Task<IReadOnlyList<CommitFileRow>> GetCommitFilesAsync(string repo, string sha, CancellationToken cancellationToken) =>
        connections.ListAsync<CommitFileRow>(CommitFilesSql, new { Repo = repo, Sha = sha }, cancellationToken);

    /// <summary>Touches of one commit with the touching commit's subject, files and changed lines (commit page; the document reads <see cref="GetTouchesAsync"/>).</summary>
    public Task<IReadOnlyList<TouchRow>> GetCommitTouchesAsync(string repo, string sha, CancellationToken cancellationToken) =>
        connections.ListAsync<TouchRow>(CommitTouchesSql, new { Repo = repo, Sha = sha }, cancellationToken);

    public Task<IReadOnlyList<PrCommitRow>> GetPrCommitsAsync(string provider, string repo, long number, CancellationToken cancellationToken) =>
        connections.ListAsync<PrCommitRow>(PrCommitsSql, PrArgs(provider, repo, number), cancellationToken);

    public Task<IReadOnlyList<PrLinkRow>> GetPrSessionsAsync(string provider, string repo, long number, CancellationToken cancellationToken) =>
        connections.ListAsync<PrLinkRow>(PrSessionsSql, PrArgs(provider, repo, number), cancellationToken);

    public Task<IReadOnlyList<CiRunRow>> GetPrCiRunsAsync(PullRequestRow pr, CancellationToken cancellationToken) =>
        connections.ListAsync<CiRunRow>(PrCiSql, new
        {
            pr.Provider,
            Repo = pr.RepoSlug,
            Number = (int)pr.PrNumber,
            HeadSha = pr.HeadSha ?? "",
            MergeSha = pr.MergeCommitSha ?? "",
        }, cancellationToken);

    public Task<IReadOnlyList<TouchRow>> GetPrTouchesAsync(string provider, string repo, long number, CancellationToken cancellationToken) =>
        connections.ListAsync<TouchRow>(PrTouchesSql, PrArgs(provider, repo, number), cancellationToken);

    private static object PrArgs(string provider, string repo, long number) => new { Provider = provider, Repo = repo, Number = (int)number };

    /// <summary>Adds one parameter per value and answers <c>(@Name0, @Name1, ...)</c>; the same SQL on both dialects.</summary>
    private static string InList(DynamicParameters parameters, string name, IEnumerable<string> values)
    {
        var names = new List<string>();
        foreach (var value in values)
        {
            var parameter = name + names.Count.ToString(CultureInfo.InvariantCulture);
            parameters.Add(parameter, value);
            names.Add("@" + parameter);
        }

        return names.Count == 0 ? "(NULL)" : "(" + string.Join(", ", names) + ")";
    }
}
