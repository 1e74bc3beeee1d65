using Attribution.Common;
using Dapper;

namespace Attribution.Store;

/// <summary>A recent session as the MCP <c>list_recent</c> tool shows it.</summary>
public sealed record RecentSession
{
    public string SessionId { get; init; } = "";

    /// <summary>The agent's summary of the session or its first prompt, when known.</summary>
    public string? Title { get; init; }
    public string Agent { get; init; } = "";
    public string? Model { get; init; }
    public string? Repo { get; init; }
    public string? Branch { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public double? CostUsd { get; init; }

    /// <summary>Commits linked to the session at or above the confidence threshold.</summary>
    public long Commits { get; init; }
}

/// <summary>A recent commit as the MCP <c>list_recent</c> tool shows it: its agent marker and the sessions linked to it at or above the threshold.</summary>
public sealed record RecentCommit
{
    public string Repo { get; init; } = "";
    public string Sha { get; init; } = "";
    public string? Subject { get; init; }
    public string? Author { get; init; }
    public DateTimeOffset? CommittedAt { get; init; }
    public string? Agent { get; init; }
    public string? Model { get; init; }

    /// <summary>Sessions linked to the commit at or above the confidence threshold.</summary>
    public long Sessions { get; init; }
}

/// <summary>Filters of <see cref="ExploreStore"/>: null = no filter; <see cref="Since"/> compares start (sessions) or commit time.</summary>
public sealed record ExploreFilter(string? Repo, string? Agent, DateTimeOffset? Since, int Limit, double MinConfidence);

/// <summary>Newest sessions and commits for an agent exploring the data (MCP <c>list_recent</c>).</summary>
public sealed class ExploreStore(IDbConnectionFactory connections)
{
    private const string SessionsSql = """
        SELECT s.session_id AS SessionId, s.title AS Title, s.agent AS Agent, s.model AS Model, s.repo_slug AS Repo, s.git_branch AS Branch,
               s.started_ts AS StartedAt, s.ended_ts AS EndedAt, s.cost_usd AS CostUsd,
               (SELECT COUNT(*) FROM commit_session_link l WHERE l.session_id = s.session_id AND l.confidence >= @MinConfidence) AS Commits
          FROM sessions s
         WHERE 1 = 1
        """;

    public async Task<IReadOnlyList<RecentSession>> ListSessionsAsync(ExploreFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return await QueryAsync<RecentSession>(new SqlFilter(SessionsSql)
            .And("s.repo_slug = @Repo", "Repo", Repo(filter))
            .And("s.agent = @Agent", "Agent", filter.Agent)
            .And("s.started_ts >= @Since", "Since", filter.Since)
            .Append(" ORDER BY s.started_ts DESC, s.session_id"), filter, cancellationToken);
    }

    private const string CommitsSql = """
        SELECT c.repo_slug AS Repo, c.sha AS Sha, c.subject AS Subject, c.author_name AS Author, c.committer_ts AS CommittedAt,
               c.agent AS Agent, c.agent_model AS Model,
               (SELECT COUNT(*) FROM commit_session_link l
                 WHERE l.commit_sha = c.sha AND l.repo_slug = c.repo_slug AND l.confidence >= @MinConfidence) AS Sessions
          FROM commits c
         WHERE 1 = 1
        """;

    /// <summary>Newest commits; with an agent filter, those whose marker names it or that a session of that agent is linked to.</summary>
    public async Task<IReadOnlyList<RecentCommit>> ListCommitsAsync(ExploreFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return await QueryAsync<RecentCommit>(new SqlFilter(CommitsSql)
            .And("c.repo_slug = @Repo", "Repo", Repo(filter))
            .And("""
                (c.agent = @Agent OR EXISTS (SELECT 1 FROM commit_session_link l JOIN sessions s ON s.session_id = l.session_id
                                             WHERE l.commit_sha = c.sha AND l.repo_slug = c.repo_slug AND l.confidence >= @MinConfidence
                                               AND s.agent = @Agent))
                """, "Agent", filter.Agent)
            .And("c.committer_ts >= @Since", "Since", filter.Since)
            .Append(" ORDER BY c.committer_ts DESC, c.sha"), filter, cancellationToken);
    }

    private static string? Repo(ExploreFilter filter) => filter.Repo is null ? null : RepoSlug.Normalize(filter.Repo);

    // Every list: its first page, links counted at or above the floor.
    private async Task<IReadOnlyList<T>> QueryAsync<T>(SqlFilter sql, ExploreFilter filter, CancellationToken cancellationToken)
    {
        sql.Append(" LIMIT @Limit").With("Limit", filter.Limit).With("MinConfidence", filter.MinConfidence);
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<T>(new CommandDefinition(sql.ToString(), sql.Parameters, cancellationToken: cancellationToken))).AsList();
    }
}
