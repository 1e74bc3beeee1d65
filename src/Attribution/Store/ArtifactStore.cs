using Attribution.Common;
using Dapper;

namespace Attribution.Store;

/// <summary>
/// The artifact reverse index (<c>run_attribution_artifacts</c>, CONTRACT §7) and the reads of feedback, commits,
/// sessions and session↔PR links the artifact resolver needs. Artifacts are written once: first write wins.
/// </summary>
public sealed class ArtifactStore(IDbConnectionFactory connections, TimeProvider time)
{
    private const string ArtifactColumns = """
        id, provider, repo_slug, kind, comment_id, review_id, review_comment_id, parent_comment_id, pr_number, file_path,
        line, commit_sha, span_id, agent_name, instance_id, metadata_json, delivery_id, captured_ts
        """;

    private const string FeedbackColumns = """
        id, provider, repo_slug, kind, external_id, pr_number, review_id, in_reply_to_id, path, line, commit_sha, author,
        body, created_at, delivery_id, updated_ts
        """;

    private const string InsertSql = """
        INSERT INTO run_attribution_artifacts (provider, repo_slug, kind, comment_id, review_id, review_comment_id, parent_comment_id,
            pr_number, file_path, line, commit_sha, span_id, agent_name, instance_id, metadata_json, delivery_id, captured_ts)
        VALUES (@Provider, @RepoSlug, @Kind, @CommentId, @ReviewId, @ReviewCommentId, @ParentCommentId,
            @PrNumber, @FilePath, @Line, @CommitSha, @SpanId, @AgentName, @InstanceId, @MetadataJson, @DeliveryId, @Now)
        ON CONFLICT DO NOTHING
        """;

    /// <summary>Stores an artifact unless one with the same identity exists; true when this call stored it.</summary>
    public async Task<bool> InsertAsync(ArtifactRecord artifact, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.ExecuteAsync(new CommandDefinition(InsertSql, new
        {
            artifact.Provider,
            RepoSlug = RepoSlug.Normalize(artifact.RepoSlug),
            artifact.Kind,
            artifact.CommentId,
            artifact.ReviewId,
            artifact.ReviewCommentId,
            artifact.ParentCommentId,
            artifact.PrNumber,
            artifact.FilePath,
            artifact.Line,
            CommitSha = artifact.CommitSha?.ToLowerInvariant(),
            artifact.SpanId,
            artifact.AgentName,
            artifact.InstanceId,
            artifact.MetadataJson,
            artifact.DeliveryId,
            Now = time.GetUtcNow(),
        }, cancellationToken: cancellationToken));
        return rows > 0;
    }

    // Only our own reasons are replaced: a receiver's failure reason on the same delivery is kept.
    private const string RejectSql = """
        UPDATE webhook_deliveries SET reason = @Reason
        WHERE delivery_id = @DeliveryId AND (reason IS NULL OR reason LIKE 'attribution metadata%')
        """;

    /// <summary>Notes on the delivery why its attribution metadata was not captured.</summary>
    public async Task RecordRejectionAsync(string deliveryId, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(RejectSql, new { DeliveryId = deliveryId, Reason = "attribution metadata rejected: " + reason }, cancellationToken: cancellationToken));
    }

    private const string ByCommentSql = "SELECT " + ArtifactColumns + """
         FROM run_attribution_artifacts
        WHERE repo_slug = @Repo AND kind IN ('issue_comment', 'note') AND comment_id = @Id AND (@Provider IS NULL OR provider = @Provider)
        ORDER BY id
        """;

    private const string ByReviewCommentSql = "SELECT " + ArtifactColumns + """
         FROM run_attribution_artifacts
        WHERE repo_slug = @Repo AND kind = 'review_comment' AND review_comment_id = @Id AND (@Provider IS NULL OR provider = @Provider)
        ORDER BY id
        """;

    private const string ByReviewSql = "SELECT " + ArtifactColumns + """
         FROM run_attribution_artifacts
        WHERE repo_slug = @Repo AND kind = 'review' AND review_id = @Id AND (@Provider IS NULL OR provider = @Provider)
        ORDER BY id
        """;

    /// <summary>The artifact of an issue comment or GitLab note.</summary>
    public Task<ArtifactRecord?> FindByCommentAsync(string repo, string? provider, string commentId, CancellationToken cancellationToken) =>
        FirstAsync(ByCommentSql, repo, provider, commentId, cancellationToken);

    /// <summary>The artifact of a pull request review comment (inline, diff-line).</summary>
    public Task<ArtifactRecord?> FindByReviewCommentAsync(string repo, string? provider, string reviewCommentId, CancellationToken cancellationToken) =>
        FirstAsync(ByReviewCommentSql, repo, provider, reviewCommentId, cancellationToken);

    /// <summary>The artifact of a pull request review (its summary body).</summary>
    public Task<ArtifactRecord?> FindByReviewAsync(string repo, string? provider, string reviewId, CancellationToken cancellationToken) =>
        FirstAsync(ByReviewSql, repo, provider, reviewId, cancellationToken);

    private async Task<ArtifactRecord?> FirstAsync(string sql, string repo, string? provider, string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ArtifactRecord>(new CommandDefinition(sql, new { Repo = RepoSlug.Normalize(repo), Provider = provider, Id = id }, cancellationToken: cancellationToken));
        return rows.FirstOrDefault();
    }

    private const string ThreadSql = "SELECT " + ArtifactColumns + """
         FROM run_attribution_artifacts
        WHERE repo_slug = @Repo AND kind IN ('issue_comment', 'note', 'review_comment') AND parent_comment_id = @Id
          AND (@Provider IS NULL OR provider = @Provider)
        ORDER BY id
        """;

    /// <summary>
    /// Signed comments replying to the same parent: a GitHub review thread (in_reply_to_id names the thread's first
    /// comment) or a GitLab discussion (when the receiver stores the discussion id as the parent).
    /// </summary>
    public async Task<IReadOnlyList<ArtifactRecord>> FindInThreadAsync(string repo, string? provider, string parentId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ArtifactRecord>(new CommandDefinition(ThreadSql, new { Repo = RepoSlug.Normalize(repo), Provider = provider, Id = parentId }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    private const string CommitSql = "SELECT " + ArtifactColumns + """
         FROM run_attribution_artifacts
        WHERE repo_slug = @Repo AND kind = 'commit' AND commit_sha LIKE @Prefix
        ORDER BY id
        """;

    /// <summary>Signed commit artifacts whose sha starts with <paramref name="sha"/> (full or abbreviated, hex).</summary>
    public async Task<IReadOnlyList<ArtifactRecord>> FindCommitsAsync(string repo, string sha, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ArtifactRecord>(new CommandDefinition(CommitSql, new { Repo = RepoSlug.Normalize(repo), Prefix = sha.ToLowerInvariant() + "%" }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    private const string PrContextSql = "SELECT " + ArtifactColumns + """
         FROM run_attribution_artifacts
        WHERE repo_slug = @Repo AND pr_number = @Pr AND kind <> 'commit' AND (@Provider IS NULL OR provider = @Provider)
          AND ((@Path IS NOT NULL AND file_path = @Path) OR (@Sha IS NOT NULL AND commit_sha = @Sha))
        ORDER BY id
        """;

    /// <summary>Artifacts on a PR that sit on the given file or commit.</summary>
    public async Task<IReadOnlyList<ArtifactRecord>> FindPrContextAsync(string repo, string? provider, long pr, string? path, string? sha, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ArtifactRecord>(new CommandDefinition(PrContextSql, new
        {
            Repo = RepoSlug.Normalize(repo),
            Provider = provider,
            Pr = pr,
            Path = path,
            Sha = sha?.ToLowerInvariant(),
        }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    private const string FeedbackSql = "SELECT " + FeedbackColumns + """
         FROM pr_feedback
        WHERE repo_slug = @Repo AND (kind = @Kind1 OR kind = @Kind2) AND external_id = @Id AND (@Provider IS NULL OR provider = @Provider)
        ORDER BY id
        """;

    /// <summary>The stored feedback item of one of <paramref name="kinds"/> (one or two) with that provider id.</summary>
    public async Task<FeedbackRecord?> FindFeedbackAsync(string repo, string? provider, IReadOnlyList<string> kinds, string externalId, CancellationToken cancellationToken)
    {
        if (kinds.Count is < 1 or > 2)
        {
            throw new ArgumentException("One or two kinds.", nameof(kinds));
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<FeedbackRecord>(new CommandDefinition(FeedbackSql, new
        {
            Repo = RepoSlug.Normalize(repo),
            Provider = provider,
            Kind1 = kinds[0],
            Kind2 = kinds[^1],
            Id = externalId,
        }, cancellationToken: cancellationToken));
        return rows.FirstOrDefault();
    }

    private const string SessionSql = "SELECT session_id, agent, started_ts, ended_ts FROM sessions WHERE session_id = @Id";

    public async Task<SessionSummary?> FindSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SessionSummary>(new CommandDefinition(SessionSql, new { Id = sessionId }, cancellationToken: cancellationToken));
    }

    private const string LinkedSessionsSql = """
        SELECT s.session_id, s.agent, s.started_ts, s.ended_ts
        FROM session_pr_links l JOIN sessions s ON s.session_id = l.session_id
        WHERE l.repo_slug = @Repo AND l.pr_number = @Pr AND (@Provider IS NULL OR l.provider = @Provider)
        ORDER BY s.session_id
        """;

    /// <summary>Sessions linked to a PR (any reason), once each.</summary>
    public async Task<IReadOnlyList<SessionSummary>> FindSessionsLinkedToPrAsync(string repo, string? provider, long pr, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SessionSummary>(new CommandDefinition(LinkedSessionsSql, new { Repo = RepoSlug.Normalize(repo), Provider = provider, Pr = pr }, cancellationToken: cancellationToken));
        return rows.DistinctBy(r => r.SessionId).ToList();
    }

    private const string AgentNamesSql = """
        SELECT DISTINCT span_id AS SessionId, agent_name AS AgentName FROM run_attribution_artifacts
        WHERE span_id = @Id AND agent_name IS NOT NULL
        """;

    /// <summary>The agent names signed metadata gave each of these sessions (an <c>agents</c> run names its agent there).</summary>
    public async Task<ILookup<string, string>> FindSignedAgentNamesAsync(IReadOnlyCollection<string> sessionIds, CancellationToken cancellationToken)
    {
        if (sessionIds.Count == 0)
        {
            return Array.Empty<string>().ToLookup(s => s, s => s);
        }

        // One query per session: list parameters expand differently per provider (Npgsql takes arrays).
        await using var connection = await connections.OpenAsync(cancellationToken);
        var names = new List<(string SessionId, string AgentName)>();
        foreach (var id in sessionIds)
        {
            names.AddRange(await connection.QueryAsync<(string SessionId, string AgentName)>(new CommandDefinition(AgentNamesSql, new { Id = id }, cancellationToken: cancellationToken)));
        }

        return names.ToLookup(r => r.SessionId, r => r.AgentName, StringComparer.Ordinal);
    }

    private const string FeedbackSinceSql = "SELECT " + FeedbackColumns + """
         FROM pr_feedback
        WHERE (updated_ts > @Ts OR (updated_ts = @Ts AND id > @Id)) AND updated_ts <= @Settled
        ORDER BY updated_ts, id
        LIMIT @Limit
        """;

    /// <summary>Feedback rows written (or edited) after the cursor and before <paramref name="settled"/>, oldest first.</summary>
    public async Task<IReadOnlyList<FeedbackRecord>> ReadFeedbackSinceAsync(string cursorTs, long cursorId, DateTimeOffset settled, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<FeedbackRecord>(new CommandDefinition(FeedbackSinceSql, new { Ts = cursorTs, Id = cursorId, Settled = settled, Limit = limit }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    private const string SignedCommitsSinceSql = """
        SELECT repo_slug, sha, message, updated_ts FROM commits
        WHERE lower(message) LIKE '%agents-attribution%'
          AND (updated_ts > @Ts OR (updated_ts = @Ts AND (repo_slug > @Repo OR (repo_slug = @Repo AND sha > @Sha))))
          AND updated_ts <= @Settled
        ORDER BY updated_ts, repo_slug, sha
        LIMIT @Limit
        """;

    /// <summary>Commits mentioning an attribution trailer written after the cursor, oldest first.</summary>
    public async Task<IReadOnlyList<SignedCommitRow>> ReadSignedCommitsSinceAsync(string cursorTs, string cursorRepo, string cursorSha, DateTimeOffset settled, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SignedCommitRow>(new CommandDefinition(SignedCommitsSinceSql, new
        {
            Ts = cursorTs,
            Repo = cursorRepo,
            Sha = cursorSha,
            Settled = settled,
            Limit = limit,
        }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    private const string BySpanSql = "SELECT " + ArtifactColumns + " FROM run_attribution_artifacts WHERE span_id = @Id ORDER BY id";

    /// <summary>Every artifact a session signed.</summary>
    public async Task<IReadOnlyList<ArtifactRecord>> ListBySessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ArtifactRecord>(new CommandDefinition(BySpanSql, new { Id = sessionId }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    private const string SessionFeedbackSql = """
        SELECT f.provider, f.repo_slug, f.kind, f.external_id, f.pr_number, f.path, f.line, f.author, f.body, f.created_at,
               CASE a.kind WHEN 'commit' THEN 'commit_artifact' WHEN 'review' THEN 'artifact_review' ELSE 'artifact_parent_comment' END AS mode
        FROM run_attribution_artifacts a
        JOIN pr_feedback f ON f.repo_slug = a.repo_slug AND (
               (a.kind = 'review_comment' AND f.provider = a.provider AND f.in_reply_to_id = a.review_comment_id)
            OR (a.kind IN ('issue_comment', 'note') AND f.provider = a.provider AND f.in_reply_to_id = a.comment_id)
            OR (a.kind = 'review' AND f.provider = a.provider AND f.kind = 'review_comment' AND f.review_id = a.review_id)
            OR (a.kind = 'commit' AND f.commit_sha = a.commit_sha))
        WHERE a.span_id = @Id
        ORDER BY f.created_at, f.id
        """;

    /// <summary>
    /// Feedback others left on a session's signed artifacts: replies to its comments, comments inside its reviews,
    /// comments on its signed commits. The session's own artifacts are not listed.
    /// </summary>
    public async Task<IReadOnlyList<SessionFeedback>> ListFeedbackForSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        var own = await ListBySessionAsync(sessionId, cancellationToken);
        var ownKeys = own.Select(OwnKey).Where(k => k is not null).ToHashSet(StringComparer.Ordinal);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SessionFeedback>(new CommandDefinition(SessionFeedbackSql, new { Id = sessionId }, cancellationToken: cancellationToken));
        var result = new List<SessionFeedback>();
        foreach (var group in rows.GroupBy(r => (r.Provider, r.RepoSlug, r.Kind, r.ExternalId)))
        {
            // An item reached through several artifacts counts through the closest one (a reply before a review before a commit).
            var first = group.OrderBy(r => ModeRank(r.Mode)).First();
            if (!ownKeys.Contains($"{first.Provider}|{first.RepoSlug}|{first.Kind}|{first.ExternalId}"))
            {
                result.Add(first);
            }
        }

        return result;
    }

    private static int ModeRank(string mode) => mode switch
    {
        "artifact_parent_comment" => 0,
        "artifact_review" => 1,
        _ => 2,
    };

    private static string? OwnKey(ArtifactRecord a) => a.Kind switch
    {
        "issue_comment" or "note" => $"{a.Provider}|{a.RepoSlug}|{a.Kind}|{a.CommentId}",
        "review" => $"{a.Provider}|{a.RepoSlug}|review|{a.ReviewId}",
        "review_comment" => $"{a.Provider}|{a.RepoSlug}|review_comment|{a.ReviewCommentId}",
        _ => null,
    };
}
