using System.Text;
using Dapper;

namespace Attribution.Store;

/// <summary>
/// Read side of the yield report: per-session aggregates of links, CI, reverts and downstream touches,
/// computed in SQL over the filtered sessions (one row per session), and the PRs linked to them.
/// </summary>
public sealed class YieldStore(IDbConnectionFactory connections)
{
    // Per linked commit (confidence ≥ threshold): whether it was reverted, and its downstream touches, joined and
    // grouped once rather than probed per commit: this query carries the whole report. CI is read by SessionCiSql
    // and rolled up by Common.CiStatus, as every surface does.
    private const string StatsSql = """
        WITH f AS (
            SELECT s.session_id, s.agent, s.model, s.repo_slug, s.started_ts, s.cost_usd, s.title
            FROM sessions s
            WHERE {0}
        ),
        l AS (
            SELECT l.session_id, l.repo_slug, l.commit_sha
            FROM commit_session_link l JOIN f ON f.session_id = l.session_id
            WHERE l.confidence >= @MinConfidence
        ),
        lc AS (
            SELECT l.session_id,
                   count(*) AS commits,
                   min(c.committer_ts) AS first_commit_ts,
                   count(CASE WHEN EXISTS (SELECT 1 FROM commits rc WHERE rc.repo_slug = l.repo_slug AND rc.reverts_sha = l.commit_sha)
                              THEN 1 END) AS reverted_by_commit
            FROM l LEFT JOIN commits c ON c.repo_slug = l.repo_slug AND c.sha = l.commit_sha
            GROUP BY l.session_id
        ),
        lt AS (
            SELECT l.session_id,
                   count(DISTINCT t.touch_sha) AS touches,
                   count(CASE WHEN t.classification = 'revert' THEN 1 END) AS revert_touches,
                   min(CASE WHEN t.classification IN ('fix', 'revert') THEN t.touched_ts END) AS first_bad_touch_ts
            FROM l JOIN downstream_touches t ON t.repo_slug = l.repo_slug AND t.target_kind = 'commit' AND t.target_key = l.commit_sha
            GROUP BY l.session_id
        )
        SELECT f.session_id, f.agent, f.model, f.repo_slug, f.started_ts, f.cost_usd, f.title,
               COALESCE(lc.commits, 0) AS commits, lc.first_commit_ts,
               COALESCE(lc.reverted_by_commit, 0) + COALESCE(lt.revert_touches, 0) AS reverted_commits,
               COALESCE(lt.touches, 0) AS touches, lt.first_bad_touch_ts
        FROM f
        LEFT JOIN lc ON lc.session_id = f.session_id
        LEFT JOIN lt ON lt.session_id = f.session_id
        """;

    // A session's PRs: linked directly (branch, opened it) or through one of its linked commits.
    private const string SessionPrsCte = """
        WITH f AS (
            SELECT s.session_id FROM sessions s WHERE {0}
        ),
        sp AS (
            SELECT p.session_id, p.provider, p.repo_slug, p.pr_number
            FROM session_pr_links p JOIN f ON f.session_id = p.session_id
            WHERE p.confidence >= @MinConfidence
            UNION
            SELECT l.session_id, pc.provider, pc.repo_slug, pc.pr_number
            FROM commit_session_link l
            JOIN f ON f.session_id = l.session_id
            JOIN pr_commits pc ON pc.repo_slug = l.repo_slug AND pc.sha = l.commit_sha
            WHERE l.confidence >= @MinConfidence
        )
        """;

    private const string PrsSql = SessionPrsCte + """
        SELECT sp.session_id, o.provider, o.repo_slug, o.pr_number, o.title, o.state, o.merged_at, o.reverted_at, o.url,
               o.downstream_touch_count, o.merge_commit_sha, o.head_sha
        FROM sp JOIN pr_outcomes o ON o.provider = sp.provider AND o.repo_slug = sp.repo_slug AND o.pr_number = sp.pr_number
        """;

    // The CI runs of a session's linked commits (is_linked 1) and of its PRs' merge and head commits: the
    // roll-up (Common.CiStatus) judges each PR by them as the API does, and each linked commit for the pass rate.
    private const string SessionCiSql = SessionPrsCte + """
        , shas AS (
            SELECT session_id, repo_slug, commit_sha, max(is_linked) AS is_linked FROM (
                SELECT l.session_id, l.repo_slug, l.commit_sha, 1 AS is_linked
                FROM commit_session_link l JOIN f ON f.session_id = l.session_id
                WHERE l.confidence >= @MinConfidence
                UNION ALL
                SELECT sp.session_id, o.repo_slug, o.merge_commit_sha, 0
                FROM sp JOIN pr_outcomes o ON o.provider = sp.provider AND o.repo_slug = sp.repo_slug AND o.pr_number = sp.pr_number
                WHERE o.merge_commit_sha IS NOT NULL
                UNION ALL
                SELECT sp.session_id, o.repo_slug, o.head_sha, 0
                FROM sp JOIN pr_outcomes o ON o.provider = sp.provider AND o.repo_slug = sp.repo_slug AND o.pr_number = sp.pr_number
                WHERE o.head_sha IS NOT NULL
            ) a
            GROUP BY session_id, repo_slug, commit_sha
        )
        SELECT shas.session_id, shas.repo_slug, shas.commit_sha, shas.is_linked, r.provider, r.run_id, r.workflow_name, r.status,
               COALESCE(r.completed_ts, r.started_ts, r.updated_ts) AS at
        FROM shas JOIN ci_runs r ON r.repo_slug = shas.repo_slug AND r.commit_sha = shas.commit_sha
        """;

    private const string OptionsSql = """
        SELECT DISTINCT repo_slug AS value, 'repo' AS kind FROM sessions WHERE repo_slug IS NOT NULL
        UNION SELECT DISTINCT agent AS value, 'agent' AS kind FROM sessions
        UNION SELECT DISTINCT model AS value, 'model' AS kind FROM sessions WHERE model IS NOT NULL
        """;

    private const string HasAnyDataSql = """
        SELECT (SELECT count(*) FROM (SELECT 1 AS x FROM sessions LIMIT 1) a)
             + (SELECT count(*) FROM (SELECT 1 AS x FROM webhook_deliveries LIMIT 1) b)
             + (SELECT count(*) FROM (SELECT 1 AS x FROM commits LIMIT 1) c)
             + (SELECT count(*) FROM (SELECT 1 AS x FROM pr_outcomes LIMIT 1) d)
        """;

    public Task<IReadOnlyList<SessionStatRow>> GetSessionStatsAsync(YieldFilter filter, CancellationToken cancellationToken) =>
        QueryAsync<SessionStatRow>(StatsSql, filter, cancellationToken);

    public Task<IReadOnlyList<SessionPrRow>> GetSessionPrsAsync(YieldFilter filter, CancellationToken cancellationToken) =>
        QueryAsync<SessionPrRow>(PrsSql, filter, cancellationToken);

    /// <summary>CI runs of the sessions' linked commits and of their PRs' merge and head commits.</summary>
    public Task<IReadOnlyList<SessionCiRunRow>> GetSessionCiRunsAsync(YieldFilter filter, CancellationToken cancellationToken) =>
        QueryAsync<SessionCiRunRow>(SessionCiSql, filter, cancellationToken);

    // One of the queries above over the sessions the filter selects ({0} is the filter's fixed WHERE text).
    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, YieldFilter filter, CancellationToken cancellationToken)
    {
        var (where, parameters) = Where(filter);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<T>(new CommandDefinition(
            string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, where), parameters, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public async Task<YieldFilterOptions> GetFilterOptionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(string Value, string Kind)>(new CommandDefinition(OptionsSql, cancellationToken: cancellationToken))).AsList();
        IReadOnlyList<string> Of(string kind) => rows.Where(r => r.Kind == kind).Select(r => r.Value).Distinct().Order(StringComparer.Ordinal).ToList();
        return new YieldFilterOptions(Of("repo"), Of("agent"), Of("model"));
    }

    /// <summary>True when any sessions, deliveries, commits or PRs exist (else the dashboard shows its getting-started guide).</summary>
    public async Task<bool> HasAnyDataAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(HasAnyDataSql, cancellationToken: cancellationToken)) > 0;
    }

    // Only fixed SQL fragments are appended; values always travel as parameters.
    private static (string Where, DynamicParameters Parameters) Where(YieldFilter filter)
    {
        var sql = new StringBuilder("1 = 1");
        var parameters = new DynamicParameters();
        parameters.Add("MinConfidence", filter.MinConfidence);
        if (filter.Since is { } since)
        {
            sql.Append(" AND s.started_ts >= @Since");
            parameters.Add("Since", since);
        }

        if (!string.IsNullOrEmpty(filter.Repo))
        {
            sql.Append(" AND s.repo_slug = @Repo");
            parameters.Add("Repo", filter.Repo);
        }

        if (!string.IsNullOrEmpty(filter.Agent))
        {
            sql.Append(" AND s.agent = @Agent");
            parameters.Add("Agent", filter.Agent);
        }

        if (!string.IsNullOrEmpty(filter.Model))
        {
            sql.Append(" AND s.model = @Model");
            parameters.Add("Model", filter.Model);
        }

        if (!string.IsNullOrEmpty(filter.SessionId))
        {
            sql.Append(" AND s.session_id = @SessionId");
            parameters.Add("SessionId", filter.SessionId);
        }

        return (sql.ToString(), parameters);
    }
}
