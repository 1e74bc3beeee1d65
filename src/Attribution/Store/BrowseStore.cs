using System.Globalization;
using Attribution.Common;
using Dapper;

namespace Attribution.Store;

/// <summary>The dashboard's list pages (<c>/sessions</c>, <c>/commits</c>, <c>/prs</c>) and its search box: filtered, paged reads.</summary>
public sealed class BrowseStore(IDbConnectionFactory connections)
{
    private const string SessionsSql = """
        SELECT s.session_id, s.title, s.agent, s.model, s.repo_slug, s.git_branch, s.started_ts, s.cost_usd,
               (SELECT COUNT(*) FROM commit_session_link l WHERE l.session_id = s.session_id AND l.confidence >= @MinConfidence) AS commits,
               (SELECT MAX(l.confidence) FROM commit_session_link l WHERE l.session_id = s.session_id) AS best_confidence
          FROM sessions s
         WHERE 1 = 1
        """;

    private const string SessionMergedSql = """
         AND (EXISTS (SELECT 1 FROM commit_session_link l
                        JOIN pr_commits pc ON pc.repo_slug = l.repo_slug AND pc.sha = l.commit_sha
                        JOIN pr_outcomes o ON o.provider = pc.provider AND o.repo_slug = pc.repo_slug AND o.pr_number = pc.pr_number
                       WHERE l.session_id = s.session_id AND l.confidence >= @MinConfidence AND o.state = 'merged')
              OR EXISTS (SELECT 1 FROM session_pr_links p
                        JOIN pr_outcomes o ON o.provider = p.provider AND o.repo_slug = p.repo_slug AND o.pr_number = p.pr_number
                       WHERE p.session_id = s.session_id AND o.state = 'merged'))
        """;

    /// <summary>Sessions, newest first, one page of <see cref="BrowseFilter.Limit"/> from <see cref="BrowseFilter.Offset"/>.</summary>
    public async Task<IReadOnlyList<BrowseSessionRow>> ListSessionsAsync(BrowseFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var sql = Filtered(SessionsSql, filter)
            .And("s.repo_slug = @Repo", "Repo", Repo(filter))
            .And("s.agent = @Agent", "Agent", filter.Agent)
            .And("s.model = @Model", "Model", filter.Model)
            .And("s.git_branch = @Branch", "Branch", filter.Branch)
            .And("s.started_ts >= @Since", "Since", filter.Since)
            .And("""
                EXISTS (SELECT 1 FROM commit_session_link l JOIN commits c ON c.repo_slug = l.repo_slug AND c.sha = l.commit_sha
                         WHERE l.session_id = s.session_id AND l.confidence >= @MinConfidence
                           AND (lower(c.author_name) = lower(@Author) OR lower(c.author_email) = lower(@Author)))
                """, "Author", filter.Author)
            .Append(filter.Outcome switch
            {
                "linked" => " AND EXISTS (SELECT 1 FROM commit_session_link l WHERE l.session_id = s.session_id AND l.confidence >= @MinConfidence)",
                "unlinked" => " AND NOT EXISTS (SELECT 1 FROM commit_session_link l WHERE l.session_id = s.session_id AND l.confidence >= @MinConfidence)",
                "merged" => SessionMergedSql,
                _ => "",
            })
            .Append(" ORDER BY s.started_ts DESC, s.session_id LIMIT @Limit OFFSET @Offset");
        return await connections.ListAsync<BrowseSessionRow>(sql.ToString(), sql.Parameters, cancellationToken);
    }

    private const string CommitsSql = """
        SELECT c.repo_slug, c.sha, c.subject, c.author_name, c.author_email, c.committer_ts,
               COALESCE(c.agent, (SELECT s.agent FROM commit_session_link l JOIN sessions s ON s.session_id = l.session_id
                                   WHERE l.commit_sha = c.sha AND l.repo_slug = c.repo_slug AND l.confidence >= @MinConfidence
                                   ORDER BY l.confidence DESC, l.session_id LIMIT 1)) AS agent,
               COALESCE(c.agent_model, (SELECT s.model FROM commit_session_link l JOIN sessions s ON s.session_id = l.session_id
                                   WHERE l.commit_sha = c.sha AND l.repo_slug = c.repo_slug AND l.confidence >= @MinConfidence
                                   ORDER BY l.confidence DESC, l.session_id LIMIT 1)) AS model,
               (SELECT COUNT(*) FROM commit_session_link l
                 WHERE l.commit_sha = c.sha AND l.repo_slug = c.repo_slug AND l.confidence >= @MinConfidence) AS sessions,
               (SELECT MAX(l.confidence) FROM commit_session_link l WHERE l.commit_sha = c.sha AND l.repo_slug = c.repo_slug) AS best_confidence,
               (SELECT l.link_type FROM commit_session_link l WHERE l.commit_sha = c.sha AND l.repo_slug = c.repo_slug
                 ORDER BY l.confidence DESC, l.session_id LIMIT 1) AS link_type
          FROM commits c
         WHERE 1 = 1
        """;

    // A session linked to the commit at or above the floor matches {0}.
    private const string CommitSessionSql = """
        EXISTS (SELECT 1 FROM commit_session_link l JOIN sessions s ON s.session_id = l.session_id
                 WHERE l.commit_sha = c.sha AND l.repo_slug = c.repo_slug AND l.confidence >= @MinConfidence AND {0})
        """;

    /// <summary>Commits, newest first; agent and model match the commit's marker or a session linked at or above the floor.</summary>
    public async Task<IReadOnlyList<BrowseCommitRow>> ListCommitsAsync(BrowseFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var sql = Filtered(CommitsSql, filter)
            .And("c.repo_slug = @Repo", "Repo", Repo(filter))
            .And($"(c.agent = @Agent OR {string.Format(CultureInfo.InvariantCulture, CommitSessionSql, "s.agent = @Agent")})", "Agent", filter.Agent)
            .And($"(c.agent_model = @Model OR {string.Format(CultureInfo.InvariantCulture, CommitSessionSql, "s.model = @Model")})", "Model", filter.Model)
            .And("(lower(c.author_name) = lower(@Author) OR lower(c.author_email) = lower(@Author))", "Author", filter.Author)
            .And("""
                EXISTS (SELECT 1 FROM pr_commits pc JOIN pr_outcomes o ON o.provider = pc.provider AND o.repo_slug = pc.repo_slug AND o.pr_number = pc.pr_number
                         WHERE pc.repo_slug = c.repo_slug AND pc.sha = c.sha AND o.head_ref = @Branch)
                """, "Branch", filter.Branch)
            .And("c.committer_ts >= @Since", "Since", filter.Since)
            .Append(filter.Outcome switch
            {
                "linked" => " AND EXISTS (SELECT 1 FROM commit_session_link l WHERE l.commit_sha = c.sha AND l.repo_slug = c.repo_slug AND l.confidence >= @MinConfidence)",
                "unlinked" => " AND NOT EXISTS (SELECT 1 FROM commit_session_link l WHERE l.commit_sha = c.sha AND l.repo_slug = c.repo_slug AND l.confidence >= @MinConfidence)",
                "reverted" => " AND EXISTS (SELECT 1 FROM commits r WHERE r.repo_slug = c.repo_slug AND r.reverts_sha = c.sha)",
                _ => "",
            })
            .Append(" ORDER BY c.committer_ts DESC, c.sha LIMIT @Limit OFFSET @Offset");
        return await connections.ListAsync<BrowseCommitRow>(sql.ToString(), sql.Parameters, cancellationToken);
    }

    private const string PrsSql = """
        SELECT o.provider, o.repo_slug, o.pr_number, o.title, o.state, o.author, o.head_ref, o.created_at, o.merged_at, o.reverted_at, o.url,
               o.linked_session_ids
          FROM pr_outcomes o
         WHERE 1 = 1
        """;

    private const string PrSessionSql = """
        (EXISTS (SELECT 1 FROM session_pr_links p JOIN sessions s ON s.session_id = p.session_id
                  WHERE p.provider = o.provider AND p.repo_slug = o.repo_slug AND p.pr_number = o.pr_number AND {0})
         OR EXISTS (SELECT 1 FROM pr_commits pc
                      JOIN commit_session_link l ON l.repo_slug = pc.repo_slug AND l.commit_sha = pc.sha
                      JOIN sessions s ON s.session_id = l.session_id
                     WHERE pc.provider = o.provider AND pc.repo_slug = o.repo_slug AND pc.pr_number = o.pr_number
                       AND l.confidence >= @MinConfidence AND {0}))
        """;

    /// <summary>PRs, newest first (by creation, else merge time); agent and model match a session linked to the PR.</summary>
    public async Task<IReadOnlyList<PullRequestRow>> ListPrsAsync(BrowseFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var sql = Filtered(PrsSql, filter)
            .And("o.repo_slug = @Repo", "Repo", Repo(filter))
            .And(string.Format(CultureInfo.InvariantCulture, PrSessionSql, "s.agent = @Agent"), "Agent", filter.Agent)
            .And(string.Format(CultureInfo.InvariantCulture, PrSessionSql, "s.model = @Model"), "Model", filter.Model)
            .And("lower(o.author) = lower(@Author)", "Author", filter.Author)
            .And("o.head_ref = @Branch", "Branch", filter.Branch)
            .And("COALESCE(o.created_at, o.merged_at, o.updated_ts) >= @Since", "Since", filter.Since)
            .Append(filter.Outcome switch
            {
                "open" => " AND o.state = 'open'",
                "merged" => " AND o.state = 'merged' AND o.reverted_at IS NULL",
                "closed" => " AND o.state = 'closed'",
                "reverted" => " AND o.reverted_at IS NOT NULL",
                _ => "",
            })
            .Append(" ORDER BY COALESCE(o.created_at, o.merged_at, o.updated_ts) DESC, o.repo_slug, o.pr_number DESC LIMIT @Limit OFFSET @Offset");
        return await connections.ListAsync<PullRequestRow>(sql.ToString(), sql.Parameters, cancellationToken);
    }

    private const string FacetsSql = """
        SELECT 'repo' AS kind, repo_slug AS value FROM sessions WHERE repo_slug IS NOT NULL
        UNION SELECT 'repo', repo_slug FROM commits
        UNION SELECT 'repo', repo_slug FROM pr_outcomes
        UNION SELECT 'agent', agent FROM sessions
        UNION SELECT 'agent', agent FROM commits WHERE agent IS NOT NULL
        UNION SELECT 'model', model FROM sessions WHERE model IS NOT NULL
        UNION SELECT 'model', agent_model FROM commits WHERE agent_model IS NOT NULL
        ORDER BY 1, 2
        """;

    /// <summary>The repositories, agents and models the filters can choose from.</summary>
    public async Task<ILookup<string, string>> GetFacetsAsync(CancellationToken cancellationToken)
    {
        var rows = await connections.ListAsync<(string Kind, string Value)>(FacetsSql, new { }, cancellationToken);
        return rows.ToLookup(r => r.Kind, r => r.Value, StringComparer.Ordinal);
    }

    private const string SessionsByBranchSql = """
        SELECT s.session_id, s.title, s.agent, s.repo_slug, s.git_branch, s.started_ts
          FROM sessions s
         WHERE s.git_branch = @Branch
            OR EXISTS (SELECT 1 FROM session_events e WHERE e.session_id = s.session_id AND e.branch = @Branch)
         ORDER BY s.started_ts DESC, s.session_id
         LIMIT 20
        """;

    /// <summary>Sessions that worked on, created or pushed <paramref name="branch"/>.</summary>
    public Task<IReadOnlyList<SessionRecord>> FindSessionsByBranchAsync(string branch, CancellationToken cancellationToken) =>
        connections.ListAsync<SessionRecord>(SessionsByBranchSql, new { Branch = branch }, cancellationToken);

    private const string PrsByNumberSql = $"{PrsSql} AND o.pr_number = @Number ORDER BY o.repo_slug LIMIT 20";

    private const string PrsByRepoNumberSql = $"{PrsSql} AND o.pr_number = @Number AND o.repo_slug = @Repo ORDER BY o.provider LIMIT 20";

    /// <summary>PRs with that number (in <paramref name="repo"/> when given).</summary>
    public Task<IReadOnlyList<PullRequestRow>> FindPrsByNumberAsync(long number, string? repo, CancellationToken cancellationToken) =>
        connections.ListAsync<PullRequestRow>(repo is null ? PrsByNumberSql : PrsByRepoNumberSql,
            new { Number = (int)Math.Clamp(number, 0, int.MaxValue), Repo = repo is null ? "" : RepoSlug.Normalize(repo) }, cancellationToken);

    private const string PrsByBranchSql = $"{PrsSql} AND o.head_ref = @Branch ORDER BY o.repo_slug, o.pr_number DESC LIMIT 20";

    /// <summary>PRs whose head branch is <paramref name="branch"/>.</summary>
    public Task<IReadOnlyList<PullRequestRow>> FindPrsByBranchAsync(string branch, CancellationToken cancellationToken) =>
        connections.ListAsync<PullRequestRow>(PrsByBranchSql, new { Branch = branch }, cancellationToken);

    // A list page's statement: its filters come next; the floor and the page are always bound.
    private static SqlFilter Filtered(string sql, BrowseFilter filter) =>
        new SqlFilter(sql).With("MinConfidence", filter.MinConfidence).With("Limit", filter.Limit).With("Offset", filter.Offset);

    private static string? Repo(BrowseFilter filter) => filter.Repo is null ? null : RepoSlug.Normalize(filter.Repo);
}
