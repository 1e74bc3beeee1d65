using Dapper;

namespace Attribution.Store;

/// <summary>
/// Read side of the yield report: per-session aggregates of links, CI, reverts and downstream touches,
/// computed in SQL over the filtered sessions (one row per session), and the PRs linked to them.
/// </summary>
public sealed class YieldStore(IDbConnectionFactory connections)
{
    // Per session, over its commits linked at or above the threshold and its PRs: commit counts, reverts and the
    // distinct downstream touches (of its commits and of its PRs, each touching commit once). CI runs and bad
    // touch times come from their own queries below; the verdicts are judged in C# by Linking.Outcomes.Verdicts.
    private const string StatsSql = $$"""
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
                              THEN 1 END) AS reverted_by_commit,
                   min((SELECT min(rc.committer_ts) FROM commits rc WHERE rc.repo_slug = l.repo_slug AND rc.reverts_sha = l.commit_sha)) AS first_revert_ts
            FROM l LEFT JOIN commits c ON c.repo_slug = l.repo_slug AND c.sha = l.commit_sha
            GROUP BY l.session_id
        ),
        lt AS (
            SELECT tt.session_id,
                   count(DISTINCT tt.touch_sha) AS touches,
                   count(DISTINCT CASE WHEN tt.classification = 'revert' THEN tt.touch_sha END) AS revert_touches
            FROM ({{SessionTouchesSql}}) tt
            GROUP BY tt.session_id
        )
        SELECT f.session_id, f.agent, f.model, f.repo_slug, f.started_ts, f.cost_usd, f.title,
               COALESCE(lc.commits, 0) AS commits, lc.first_commit_ts, lc.first_revert_ts,
               COALESCE(lc.reverted_by_commit, 0) + COALESCE(lt.revert_touches, 0) AS reverted_commits,
               COALESCE(lt.touches, 0) AS touches
        FROM f
        LEFT JOIN lc ON lc.session_id = f.session_id
        LEFT JOIN lt ON lt.session_id = f.session_id
        """;

    // The filtered sessions (f) and their commits linked at or above the threshold (l); {0} is the filter's WHERE text.
    private const string FilteredLinksCte = """
        f AS (
            SELECT s.session_id FROM sessions s WHERE {0}
        ),
        l AS (
            SELECT l.session_id, l.repo_slug, l.commit_sha
            FROM commit_session_link l JOIN f ON f.session_id = l.session_id
            WHERE l.confidence >= @MinConfidence
        )
""";

    // The session's PRs (directly linked, or through a linked commit), as a CTE body; needs f and l.
    private const string SessionPrKeysSql = """
            SELECT p.session_id, p.provider, p.repo_slug, p.pr_number
            FROM session_pr_links p JOIN f ON f.session_id = p.session_id
            WHERE p.confidence >= @MinConfidence
            UNION
            SELECT l.session_id, pc.provider, pc.repo_slug, pc.pr_number
            FROM l JOIN pr_commits pc ON pc.repo_slug = l.repo_slug AND pc.sha = l.commit_sha
        """;

    // Touches of the session's linked commits and of its PRs (the engine keys a PR target provider/number).
    private const string SessionTouchesSql = $$"""
            SELECT l.session_id, t.touch_sha, t.classification, t.touched_ts
            FROM l JOIN downstream_touches t ON t.repo_slug = l.repo_slug AND t.target_kind = 'commit' AND t.target_key = l.commit_sha
            UNION
            SELECT sp.session_id, t.touch_sha, t.classification, t.touched_ts
            FROM ({{SessionPrKeysSql}}) sp
            JOIN downstream_touches t ON t.repo_slug = sp.repo_slug AND t.target_kind = 'pr'
                 AND t.target_key = sp.provider || '/' || CAST(sp.pr_number AS TEXT)
        """;

    // Fix and revert touch times per session (the still-good window is judged on them).
    private const string BadTouchesSql = $$"""
        WITH {{FilteredLinksCte}}
        SELECT DISTINCT tt.session_id, tt.touched_ts, tt.classification
        FROM ({{SessionTouchesSql}}) tt
        WHERE tt.classification IN ('fix', 'revert')
        """;

    // CI runs per session: those of its linked commits (via = commit) and those that judge its PRs (via = pr: the
    // merge commit's runs when any ran, else the head's). The one roll-up turns them into statuses.
    private const string RunsSql = $$"""
        WITH {{FilteredLinksCte}},
        sp AS ({{SessionPrKeysSql}}),
        shas AS (
            SELECT l.session_id, l.repo_slug, l.commit_sha AS sha, 'commit' AS via FROM l
            UNION
            SELECT sp.session_id, o.repo_slug,
                   CASE WHEN o.merge_commit_sha IS NOT NULL
                             AND EXISTS (SELECT 1 FROM ci_runs m WHERE m.repo_slug = o.repo_slug AND m.commit_sha = o.merge_commit_sha)
                        THEN o.merge_commit_sha ELSE o.head_sha END AS sha,
                   'pr' AS via
            FROM sp JOIN pr_outcomes o ON o.provider = sp.provider AND o.repo_slug = sp.repo_slug AND o.pr_number = sp.pr_number
        )
        SELECT shas.session_id, shas.via, r.provider, r.repo_slug, r.run_id, r.commit_sha, r.status, r.workflow_name,
               r.started_ts, r.completed_ts, r.updated_ts, r.run_attempt
        FROM shas JOIN ci_runs r ON r.repo_slug = shas.repo_slug AND r.commit_sha = shas.sha
        """;

    // The authors of each session's linked commits, with how many of them each wrote (the session's developer is the main one).
    private const string AuthorsSql = $$"""
        WITH {{FilteredLinksCte}}
        SELECT l.session_id, c.author_name, c.author_email, count(*) AS commits
        FROM l JOIN commits c ON c.repo_slug = l.repo_slug AND c.sha = l.commit_sha
        GROUP BY l.session_id, c.author_name, c.author_email
        """;

    // The line figures of each session's linked commits (Linking.LineSurvival sums them).
    private const string LinesSql = $$"""
        WITH {{FilteredLinksCte}}
        SELECT l.session_id, o.target_kind, o.target_key, o.lines_written, o.lines_at_head, o.lines_after_14d, o.lines_after_30d,
               o.lines_rewritten_by_others, o.head_sha, o.fingerprint
        FROM l JOIN line_outcomes o ON o.repo_slug = l.repo_slug AND o.target_kind = 'commit' AND o.target_key = l.commit_sha
        """;

    // A session's PRs: linked directly (branch, opened it) or through one of its linked commits.
    private const string PrsSql = $$"""
        WITH {{FilteredLinksCte}},
        sp AS ({{SessionPrKeysSql}})
        SELECT sp.session_id, o.provider, o.repo_slug, o.pr_number, o.title, o.state, o.merged_at, o.reverted_at, o.url,
               o.downstream_touch_count
        FROM sp JOIN pr_outcomes o ON o.provider = sp.provider AND o.repo_slug = sp.repo_slug AND o.pr_number = sp.pr_number
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

    public Task<IReadOnlyList<PrLinkRow>> GetSessionPrsAsync(YieldFilter filter, CancellationToken cancellationToken) =>
        QueryAsync<PrLinkRow>(PrsSql, filter, cancellationToken);

    /// <summary>Fix and revert touch times of the filtered sessions' commits and PRs.</summary>
    public Task<IReadOnlyList<SessionBadTouchRow>> GetSessionBadTouchesAsync(YieldFilter filter, CancellationToken cancellationToken) =>
        QueryAsync<SessionBadTouchRow>(BadTouchesSql, filter, cancellationToken);

    /// <summary>The authors of the filtered sessions' linked commits, with their commit counts.</summary>
    public Task<IReadOnlyList<SessionAuthorRow>> GetSessionAuthorsAsync(YieldFilter filter, CancellationToken cancellationToken) =>
        QueryAsync<SessionAuthorRow>(AuthorsSql, filter, cancellationToken);

    /// <summary>The line outcomes of the filtered sessions' linked commits.</summary>
    public Task<IReadOnlyList<SessionLinesRow>> GetSessionLinesAsync(YieldFilter filter, CancellationToken cancellationToken) =>
        QueryAsync<SessionLinesRow>(LinesSql, filter, cancellationToken);

    /// <summary>CI runs of the filtered sessions' linked commits and of the commits that judge their PRs.</summary>
    public Task<IReadOnlyList<SessionCiRunRow>> GetSessionCiRunsAsync(YieldFilter filter, CancellationToken cancellationToken) =>
        QueryAsync<SessionCiRunRow>(RunsSql, filter, cancellationToken);

    // One of the queries above over the sessions the filter selects ({0} is the filter's fixed WHERE text).
    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, YieldFilter filter, CancellationToken cancellationToken)
    {
        var where = Where(filter);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<T>(new CommandDefinition(
            string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, where.ToString()), where.Parameters, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>Distinct repositories, agents and models of the sessions, sorted.</summary>
    public async Task<(IReadOnlyList<string> Repos, IReadOnlyList<string> Agents, IReadOnlyList<string> Models)> GetFilterOptionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(string Value, string Kind)>(new CommandDefinition(OptionsSql, cancellationToken: cancellationToken))).AsList();
        IReadOnlyList<string> Of(string kind) => rows.Where(r => r.Kind == kind).Select(r => r.Value).Distinct().Order(StringComparer.Ordinal).ToList();
        return (Of("repo"), Of("agent"), Of("model"));
    }

    /// <summary>True when any sessions, deliveries, commits or PRs exist (else the dashboard shows its getting-started guide).</summary>
    public async Task<bool> HasAnyDataAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(HasAnyDataSql, cancellationToken: cancellationToken)) > 0;
    }

    // The sessions the filter selects: the WHERE text of the queries above and its parameters.
    private static SqlFilter Where(YieldFilter filter) =>
        new SqlFilter("1 = 1")
            .With("MinConfidence", filter.MinConfidence)
            .And("s.started_ts >= @Since", "Since", filter.Since)
            .And("s.repo_slug = @Repo", "Repo", Given(filter.Repo))
            .And("s.agent = @Agent", "Agent", Given(filter.Agent))
            .And("s.model = @Model", "Model", Given(filter.Model))
            .And("s.session_id = @SessionId", "SessionId", Given(filter.SessionId));

    private static string? Given(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
