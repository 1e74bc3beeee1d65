using System.Globalization;
using Dapper;

namespace Attribution.Store;

/// <summary>Read-only queries behind the dashboard's session, commit, PR and delivery pages.</summary>
public sealed class DashboardStore(IDbConnectionFactory connections)
{
    private const string SessionLinksSql = """
        SELECT l.commit_sha, l.repo_slug, l.session_id, l.link_type, l.confidence, l.evidence_json, l.established_ts,
               c.subject, c.committer_ts, c.author_name
        FROM commit_session_link l
        LEFT JOIN commits c ON c.repo_slug = l.repo_slug AND c.sha = l.commit_sha
        WHERE l.session_id = @Id
        ORDER BY c.committer_ts, l.commit_sha
        """;

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

    private const string CommitsByPrefixSql = """
        SELECT repo_slug, sha, parents, author_name, author_email, author_ts, committer_name, committer_ts, message, subject,
               reverts_sha, agent, agent_model, source
        FROM commits WHERE sha LIKE @Prefix
        ORDER BY repo_slug, sha
        LIMIT 20
        """;

    private const string CommitFilesSql = """
        SELECT path, status, old_path, added_lines, deleted_lines FROM commit_files
        WHERE repo_slug = @Repo AND sha = @Sha ORDER BY path
        """;

    private const string CommitLinksSql = """
        SELECT l.commit_sha, l.repo_slug, l.session_id, l.link_type, l.confidence, l.evidence_json, l.established_ts,
               s.agent, s.model, s.cost_usd, s.title AS session_title, s.started_ts AS session_started_ts
        FROM commit_session_link l LEFT JOIN sessions s ON s.session_id = l.session_id
        WHERE l.repo_slug = @Repo AND l.commit_sha = @Sha
        ORDER BY l.confidence DESC, l.session_id
        """;

    private const string CommitPrsSql = """
        SELECT o.provider, o.repo_slug, o.pr_number, o.title, o.state, o.merged_at, o.reverted_at, o.url, o.downstream_touch_count
        FROM pr_commits pc JOIN pr_outcomes o ON o.provider = pc.provider AND o.repo_slug = pc.repo_slug AND o.pr_number = pc.pr_number
        WHERE pc.repo_slug = @Repo AND pc.sha = @Sha
        UNION
        SELECT o.provider, o.repo_slug, o.pr_number, o.title, o.state, o.merged_at, o.reverted_at, o.url, o.downstream_touch_count
        FROM pr_outcomes o WHERE o.repo_slug = @Repo AND (o.merge_commit_sha = @Sha OR o.head_sha = @Sha)
        """;

    private const string CommitCiSql = """
        SELECT provider, repo_slug, run_id, commit_sha, status, workflow_name, branch, url, started_ts, completed_ts, updated_ts
        FROM ci_runs WHERE repo_slug = @Repo AND commit_sha = @Sha ORDER BY started_ts
        """;

    private const string CommitTouchesSql = """
        SELECT t.repo_slug, t.target_kind, t.target_key, t.touch_sha, t.classification, t.touched_ts, t.files_json, c.subject, t.lines_changed
        FROM downstream_touches t LEFT JOIN commits c ON c.repo_slug = t.repo_slug AND c.sha = t.touch_sha
        WHERE t.repo_slug = @Repo AND t.target_kind = 'commit' AND t.target_key = @Sha
        ORDER BY t.touched_ts
        """;

    private const string RevertedBySql = "SELECT sha FROM commits WHERE repo_slug = @Repo AND reverts_sha = @Sha ORDER BY sha";

    private const string PrSql = """
        SELECT provider, repo_slug, pr_number, title, state, merged_at, reverted_at, reverted_by_pr, author, url, head_ref, head_sha,
               base_ref, merge_commit_sha, created_at, closed_at, downstream_touch_count, last_downstream_touch_ts
        FROM pr_outcomes WHERE provider = @Provider AND repo_slug = @Repo AND pr_number = @Number
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

    private const string DeliveriesSql = """
        SELECT id, receiver, delivery_id, event, action, repo_slug, status, reason, received_ts, processed_ts, attempts
        FROM webhook_deliveries ORDER BY received_ts DESC, id DESC LIMIT @Limit
        """;

    // Dialects differ here: each asks its own catalogue whether the (later) artifact table exists.


    public async Task<SessionRecord?> GetSessionAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SessionRecord>(new CommandDefinition(SessionStore.GetSessionSql, new { SessionId = id }, cancellationToken: cancellationToken));
    }

    public Task<IReadOnlyList<LinkRow>> GetSessionLinksAsync(string id, CancellationToken cancellationToken) =>
        QueryAsync<LinkRow>(SessionLinksSql, new { Id = id }, cancellationToken);

    public Task<IReadOnlyList<SessionEventRecord>> GetSessionGitEventsAsync(string id, CancellationToken cancellationToken) =>
        QueryAsync<SessionEventRecord>(SessionEventsSql, new { Id = id }, cancellationToken);

    public Task<IReadOnlyList<PrLinkRow>> GetSessionPrLinksAsync(string id, CancellationToken cancellationToken) =>
        QueryAsync<PrLinkRow>(SessionPrLinksSql, new { Id = id }, cancellationToken);

    public Task<IReadOnlyList<CiRunRow>> GetSessionCiRunsAsync(string id, CancellationToken cancellationToken) =>
        QueryAsync<CiRunRow>(SessionCiSql, new { Id = id }, cancellationToken);

    public Task<IReadOnlyList<TouchRow>> GetSessionTouchesAsync(string id, CancellationToken cancellationToken) =>
        QueryAsync<TouchRow>(SessionTouchesSql, new { Id = id }, cancellationToken);

    /// <summary>Commits whose sha starts with <paramref name="shaPrefix"/> (lowercase hex), at most 20.</summary>
    public Task<IReadOnlyList<CommitRow>> FindCommitsAsync(string shaPrefix, CancellationToken cancellationToken) =>
        QueryAsync<CommitRow>(CommitsByPrefixSql, new { Prefix = shaPrefix + "%" }, cancellationToken);

    public Task<IReadOnlyList<CommitFileRow>> GetCommitFilesAsync(string repo, string sha, CancellationToken cancellationToken) =>
        QueryAsync<CommitFileRow>(CommitFilesSql, new { Repo = repo, Sha = sha }, cancellationToken);

    public Task<IReadOnlyList<LinkRow>> GetCommitLinksAsync(string repo, string sha, CancellationToken cancellationToken) =>
        QueryAsync<LinkRow>(CommitLinksSql, new { Repo = repo, Sha = sha }, cancellationToken);

    public Task<IReadOnlyList<PrLinkRow>> GetCommitPrsAsync(string repo, string sha, CancellationToken cancellationToken) =>
        QueryAsync<PrLinkRow>(CommitPrsSql, new { Repo = repo, Sha = sha }, cancellationToken);

    public Task<IReadOnlyList<CiRunRow>> GetCommitCiRunsAsync(string repo, string sha, CancellationToken cancellationToken) =>
        QueryAsync<CiRunRow>(CommitCiSql, new { Repo = repo, Sha = sha }, cancellationToken);

    public Task<IReadOnlyList<TouchRow>> GetCommitTouchesAsync(string repo, string sha, CancellationToken cancellationToken) =>
        QueryAsync<TouchRow>(CommitTouchesSql, new { Repo = repo, Sha = sha }, cancellationToken);

    public Task<IReadOnlyList<string>> GetRevertingCommitsAsync(string repo, string sha, CancellationToken cancellationToken) =>
        QueryAsync<string>(RevertedBySql, new { Repo = repo, Sha = sha }, cancellationToken);

    public async Task<PullRequestRow?> GetPrAsync(string provider, string repo, long number, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<PullRequestRow>(new CommandDefinition(PrSql, PrArgs(provider, repo, number), cancellationToken: cancellationToken));
    }

    public Task<IReadOnlyList<PrCommitRow>> GetPrCommitsAsync(string provider, string repo, long number, CancellationToken cancellationToken) =>
        QueryAsync<PrCommitRow>(PrCommitsSql, PrArgs(provider, repo, number), cancellationToken);

    public Task<IReadOnlyList<PrLinkRow>> GetPrSessionsAsync(string provider, string repo, long number, CancellationToken cancellationToken) =>
        QueryAsync<PrLinkRow>(PrSessionsSql, PrArgs(provider, repo, number), cancellationToken);

    public Task<IReadOnlyList<CiRunRow>> GetPrCiRunsAsync(PullRequestRow pr, CancellationToken cancellationToken) =>
        QueryAsync<CiRunRow>(PrCiSql, new
        {
            pr.Provider,
            Repo = pr.RepoSlug,
            Number = (int)pr.PrNumber,
            HeadSha = pr.HeadSha ?? "",
            MergeSha = pr.MergeCommitSha ?? "",
        }, cancellationToken);

    public Task<IReadOnlyList<TouchRow>> GetPrTouchesAsync(string provider, string repo, long number, CancellationToken cancellationToken) =>
        QueryAsync<TouchRow>(PrTouchesSql, PrArgs(provider, repo, number), cancellationToken);

    public Task<IReadOnlyList<DeliveryRow>> GetRecentDeliveriesAsync(int limit, CancellationToken cancellationToken) =>
        QueryAsync<DeliveryRow>(DeliveriesSql, new { Limit = limit }, cancellationToken);

    private const string FilteredDeliveriesSql = """
        SELECT d.id, d.receiver, d.delivery_id, d.event, d.action, d.repo_slug, d.status, d.reason, d.received_ts, d.processed_ts, d.attempts,
               CASE WHEN EXISTS (SELECT 1 FROM webhook_delivery_bodies b WHERE b.delivery_row_id = d.id) THEN 1 ELSE 0 END AS has_body
        FROM webhook_deliveries d
        WHERE 1 = 1
        """;

    /// <summary>One delivery by row id.</summary>
    public async Task<DeliveryRow?> GetDeliveryAsync(long id, CancellationToken cancellationToken) =>
        (await QueryAsync<DeliveryRow>(FilteredDeliveriesSql + " AND d.id = @Id", new { Id = id }, cancellationToken)).FirstOrDefault();

    /// <summary>Deliveries newest first, filtered (null = any) and paged.</summary>
    public Task<IReadOnlyList<DeliveryRow>> ListDeliveriesAsync(string? receiver, string? eventName, string? status, string? repo, int offset, int limit, CancellationToken cancellationToken)
    {
        var sql = new System.Text.StringBuilder(FilteredDeliveriesSql);
        sql.Append(receiver is null ? "" : " AND d.receiver = @Receiver");
        sql.Append(eventName is null ? "" : " AND d.event = @Event");
        sql.Append(status is null ? "" : " AND d.status = @Status");
        sql.Append(repo is null ? "" : " AND d.repo_slug = @Repo");
        sql.Append(" ORDER BY d.received_ts DESC, d.id DESC LIMIT @Limit OFFSET @Offset");
        return QueryAsync<DeliveryRow>(sql.ToString(), new
        {
            Receiver = receiver,
            Event = eventName,
            Status = status,
            Repo = repo is null ? null : RepoSlug.Normalize(repo),
            Limit = limit,
            Offset = offset,
        }, cancellationToken);
    }

    private static object PrArgs(string provider, string repo, long number) => new { Provider = provider, Repo = repo, Number = (int)number };

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object args, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<T>(new CommandDefinition(sql, args, cancellationToken: cancellationToken))).AsList();
    }
}
