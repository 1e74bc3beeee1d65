using Attribution.Common;
using Dapper;

namespace Attribution.Store;

/// <summary>A session↔commit link as stored in <c>commit_session_link</c>.</summary>
public sealed record CommitSessionLink(string CommitSha, string RepoSlug, string SessionId, string LinkType, double Confidence, string EvidenceJson);

/// <summary>A session↔PR link as stored in <c>session_pr_links</c>.</summary>
public sealed record SessionPrLink(string SessionId, string Provider, string RepoSlug, long PrNumber, string Reason, double Confidence, string EvidenceJson);

/// <summary>
/// The attribution graph: session↔commit and session↔PR links, PR membership from git and the linked
/// sessions of each PR. Upserts keep <c>established_ts</c> of the first sighting and refresh the rest.
/// </summary>
public sealed class LinkStore(IDbConnectionFactory connections, TimeProvider time)
{
    private const string UpsertCommitLinkSql = """
        INSERT INTO commit_session_link (commit_sha, repo_slug, session_id, link_type, confidence, evidence_json, established_ts)
        VALUES (@CommitSha, @RepoSlug, @SessionId, @LinkType, @Confidence, @EvidenceJson, @Now)
        ON CONFLICT (commit_sha, repo_slug, session_id) DO UPDATE SET
            link_type = excluded.link_type, confidence = excluded.confidence, evidence_json = excluded.evidence_json
        """;

    private const string DeleteCommitLinkSql = "DELETE FROM commit_session_link WHERE commit_sha = @CommitSha AND repo_slug = @RepoSlug AND session_id = @SessionId";

    private const string CommitLinksOfSessionSql = """
        SELECT commit_sha AS CommitSha, repo_slug AS RepoSlug, session_id AS SessionId, link_type AS LinkType, confidence AS Confidence, evidence_json AS EvidenceJson
        FROM commit_session_link WHERE repo_slug = @RepoSlug AND session_id = @SessionId
        """;

    /// <summary>
    /// Makes the stored links of each of <paramref name="sessionIds"/> in <paramref name="repoSlug"/> exactly
    /// <paramref name="links"/>: new ones inserted, changed ones updated, vanished ones removed. With
    /// <paramref name="inScope"/> (commit sha, session id), only the pairs it holds are compared, written and removed:
    /// an incremental pass recomputes part of a session's links. Returns (written, removed) and the commits whose links changed.
    /// </summary>
    public async Task<(int Written, int Removed, IReadOnlySet<string> Changed)> ReplaceCommitLinksAsync(
        string repoSlug, IReadOnlyCollection<string> sessionIds, IReadOnlyList<CommitSessionLink> links, CancellationToken cancellationToken,
        Func<string, string, bool>? inScope = null)
    {
        var slug = RepoSlug.Normalize(repoSlug);
        var now = time.GetUtcNow();
        var bySession = links.GroupBy(l => l.SessionId).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        int written = 0, removed = 0;
        var changed = new HashSet<string>(StringComparer.Ordinal);
        await using var unit = await connections.BeginAsync(cancellationToken);
        foreach (var sessionId in sessionIds)
        {
            var existing = (await unit.Connection.QueryAsync<StoredCommitLink>(new CommandDefinition(
                CommitLinksOfSessionSql, new { RepoSlug = slug, SessionId = sessionId }, unit.Transaction, cancellationToken: cancellationToken)))
                .Where(r => inScope is null || inScope(r.CommitSha, sessionId))
                .ToDictionary(r => r.CommitSha, StringComparer.Ordinal);
            var wanted = bySession.TryGetValue(sessionId, out var list) ? list : [];
            var (upserted, deleted) = await RowSync.ReplaceAsync(
                existing,
                wanted.Where(l => inScope is null || inScope(l.CommitSha, sessionId)),
                l => l.CommitSha,
                (old, l) => old.LinkType == l.LinkType && SameLink(old.Confidence, old.EvidenceJson, l.Confidence, l.EvidenceJson),
                l => UpsertCommitLinkAsync(unit, l with { RepoSlug = slug }, now, cancellationToken),
                sha => unit.Connection.ExecuteAsync(new CommandDefinition(DeleteCommitLinkSql, new { CommitSha = sha, RepoSlug = slug, SessionId = sessionId }, unit.Transaction, cancellationToken: cancellationToken)));
            written += upserted.Count;
            removed += deleted.Count;
            changed.UnionWith(upserted);
            changed.UnionWith(deleted);
        }

        await unit.CommitAsync(cancellationToken);
        return (written, removed, changed);
    }

    /// <summary>Upserts links without removing others (links found from the commit side, e.g. a sha from a session with no repo).</summary>
    public async Task<int> UpsertCommitLinksAsync(IReadOnlyList<CommitSessionLink> links, CancellationToken cancellationToken)
    {
        if (links.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        await using var unit = await connections.BeginAsync(cancellationToken);
        foreach (var link in links)
        {
            await UpsertCommitLinkAsync(unit, link with { RepoSlug = RepoSlug.Normalize(link.RepoSlug) }, now, cancellationToken);
        }

        await unit.CommitAsync(cancellationToken);
        return links.Count;
    }

    private static Task UpsertCommitLinkAsync(UnitOfWork unit, CommitSessionLink link, DateTimeOffset now, CancellationToken cancellationToken) =>
        unit.Connection.ExecuteAsync(new CommandDefinition(UpsertCommitLinkSql, new
        {
            link.CommitSha,
            link.RepoSlug,
            link.SessionId,
            link.LinkType,
            link.Confidence,
            link.EvidenceJson,
            Now = now,
        }, unit.Transaction, cancellationToken: cancellationToken));

    // A link is rewritten only when its confidence moved (beyond rounding) or its evidence changed.
    private static bool SameLink(double oldConfidence, string oldEvidence, double confidence, string evidence) =>
        Math.Abs(oldConfidence - confidence) < 1e-4 && oldEvidence == evidence;

    private const string CommitLinksOfRepoSql = """
        SELECT commit_sha AS CommitSha, repo_slug AS RepoSlug, session_id AS SessionId, link_type AS LinkType, confidence AS Confidence, evidence_json AS EvidenceJson
        FROM commit_session_link WHERE repo_slug = @RepoSlug
        """;

    public async Task<IReadOnlyList<StoredCommitLink>> CommitLinksAsync(string repoSlug, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<StoredCommitLink>(new CommandDefinition(CommitLinksOfRepoSql, new { RepoSlug = RepoSlug.Normalize(repoSlug) }, cancellationToken: cancellationToken))).AsList();
    }

    private const string LinkWeightColumns =
        "commit_sha AS CommitSha, repo_slug AS RepoSlug, session_id AS SessionId, link_type AS LinkType, confidence AS Confidence";

    private const string OfCommits = "FROM commit_session_link WHERE repo_slug = @RepoSlug AND commit_sha = ANY(@Shas)";

    private const string CommitLinksOfCommitsSql = $"SELECT {LinkWeightColumns}, evidence_json AS EvidenceJson {OfCommits}";

    // The same links without their evidence (about 0.8 KB a link): what the downstream step weighs them by.
    private const string CommitLinkWeightsOfCommitsSql = $"SELECT {LinkWeightColumns} {OfCommits}";

    private const string LinkWeightsFromSql = """
        SELECT l.commit_sha AS CommitSha, l.repo_slug AS RepoSlug, l.session_id AS SessionId, l.link_type AS LinkType, l.confidence AS Confidence
        FROM commits c JOIN commit_session_link l ON l.commit_sha = c.sha AND l.repo_slug = c.repo_slug
        WHERE c.repo_slug = @RepoSlug AND c.committer_ts >= @From AND l.confidence >= @Min
        """;

    /// <summary>
    /// The stored links (at or above <paramref name="minConfidence"/>) of the repository's commits committed from
    /// <paramref name="from"/> on, without their evidence (<see cref="StoredCommitLink.EvidenceJson"/> empty): what
    /// downstream needs to tell targets and the same work.
    /// </summary>
    public async Task<IReadOnlyList<StoredCommitLink>> LinkWeightsFromAsync(string repoSlug, DateTimeOffset from, double minConfidence, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<StoredCommitLink>(new CommandDefinition(LinkWeightsFromSql,
            new { RepoSlug = RepoSlug.Normalize(repoSlug), From = from, Min = minConfidence }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>The stored links of the given commits of a repository; their evidence (<c>EvidenceJson</c>) only when asked for.</summary>
    public async Task<IReadOnlyList<StoredCommitLink>> CommitLinksOfCommitsAsync(string repoSlug, IEnumerable<string> shas, CancellationToken cancellationToken, bool withEvidence = false) =>
        await SqlLists.QueryAsync<StoredCommitLink>(connections, withEvidence ? CommitLinksOfCommitsSql : CommitLinkWeightsOfCommitsSql, shas,
            chunk => new { RepoSlug = RepoSlug.Normalize(repoSlug), Shas = chunk }, cancellationToken);

    private const string StrongLinksOfSessionsSql = $"SELECT {LinkWeightColumns} FROM commit_session_link WHERE repo_slug = @RepoSlug AND session_id = ANY(@Ids) AND confidence >= @Min";

    /// <summary>
    /// The links at or above <paramref name="minConfidence"/> of the given sessions to the repository's commits, whenever
    /// committed, without their evidence: every commit of the same work as a commit those sessions are linked to.
    /// </summary>
    public async Task<IReadOnlyList<StoredCommitLink>> LinksOfSessionsAsync(string repoSlug, IEnumerable<string> sessionIds, double minConfidence, CancellationToken cancellationToken) =>
        await SqlLists.QueryAsync<StoredCommitLink>(connections, StrongLinksOfSessionsSql, sessionIds,
            chunk => new { RepoSlug = RepoSlug.Normalize(repoSlug), Ids = chunk, Min = minConfidence }, cancellationToken);

    /// <summary>Records PR membership found in the git history (source <c>git</c>); existing rows of any source stay.</summary>
    public async Task<int> AddPrCommitsAsync(string provider, string repoSlug, long prNumber, IReadOnlyList<string> shas, CancellationToken cancellationToken)
    {
        if (shas.Count == 0)
        {
            return 0;
        }

        await using var unit = await connections.BeginAsync(cancellationToken);
        var added = await PrStore.InsertCommitsAsync(unit, provider, repoSlug, prNumber, shas, "git", cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return added;
    }

    private const string PrLinksSql = """
        SELECT session_id AS SessionId, reason AS Reason, confidence AS Confidence, evidence_json AS EvidenceJson
        FROM session_pr_links WHERE provider = @Provider AND repo_slug = @RepoSlug AND pr_number = @PrNumber
        """;

    private const string UpsertPrLinkSql = """
        INSERT INTO session_pr_links (session_id, provider, repo_slug, pr_number, reason, confidence, evidence_json, established_ts)
        VALUES (@SessionId, @Provider, @RepoSlug, @PrNumber, @Reason, @Confidence, @EvidenceJson, @Now)
        ON CONFLICT (session_id, provider, repo_slug, pr_number) DO UPDATE SET
            reason = excluded.reason, confidence = excluded.confidence, evidence_json = excluded.evidence_json
        """;

    private const string DeletePrLinkSql = "DELETE FROM session_pr_links WHERE session_id = @SessionId AND provider = @Provider AND repo_slug = @RepoSlug AND pr_number = @PrNumber";

    private const string UpdateLinkedSessionsSql = """
        UPDATE pr_outcomes SET linked_session_ids = @Linked
        WHERE provider = @Provider AND repo_slug = @RepoSlug AND pr_number = @PrNumber AND linked_session_ids <> @Linked
        """;

    /// <summary>
    /// Makes the session links of one PR exactly <paramref name="links"/> and sets <c>pr_outcomes.linked_session_ids</c>
    /// to the sessions linked with confidence ≥ <paramref name="threshold"/>. Returns rows written or removed.
    /// </summary>
    public async Task<int> ReplacePrLinksAsync(string provider, string repoSlug, long prNumber, IReadOnlyList<SessionPrLink> links, double threshold, CancellationToken cancellationToken)
    {
        var slug = RepoSlug.Normalize(repoSlug);
        var key = new { Provider = provider, RepoSlug = slug, PrNumber = (int)prNumber };
        var now = time.GetUtcNow();
        await using var unit = await connections.BeginAsync(cancellationToken);
        var existing = (await unit.Connection.QueryAsync<StoredPrLink>(new CommandDefinition(PrLinksSql, key, unit.Transaction, cancellationToken: cancellationToken)))
            .ToDictionary(r => r.SessionId, StringComparer.Ordinal);
        var (written, deleted) = await RowSync.ReplaceAsync(
            existing,
            links,
            l => l.SessionId,
            (old, l) => old.Reason == l.Reason && SameLink(old.Confidence, old.EvidenceJson, l.Confidence, l.EvidenceJson),
            l => unit.Connection.ExecuteAsync(new CommandDefinition(UpsertPrLinkSql, new
            {
                l.SessionId,
                Provider = provider,
                RepoSlug = slug,
                PrNumber = (int)prNumber,
                l.Reason,
                l.Confidence,
                l.EvidenceJson,
                Now = now,
            }, unit.Transaction, cancellationToken: cancellationToken)),
            sessionId => unit.Connection.ExecuteAsync(new CommandDefinition(DeletePrLinkSql, new { SessionId = sessionId, Provider = provider, RepoSlug = slug, PrNumber = (int)prNumber }, unit.Transaction, cancellationToken: cancellationToken)));
        var changes = written.Count + deleted.Count;

        var linked = System.Text.Json.JsonSerializer.Serialize(links.Where(l => l.Confidence >= threshold).Select(l => l.SessionId).Distinct().Order(StringComparer.Ordinal));
        await unit.Connection.ExecuteAsync(new CommandDefinition(UpdateLinkedSessionsSql, new { Provider = provider, RepoSlug = slug, PrNumber = (int)prNumber, Linked = linked }, unit.Transaction, cancellationToken: cancellationToken));
        await unit.CommitAsync(cancellationToken);
        return changes;
    }

    /// <summary>Commit links at or above <paramref name="minConfidence"/>, counted per link type.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountByTypeAsync(double minConfidence, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string LinkType, long Links)>(new CommandDefinition(
            "SELECT link_type, count(*) FROM commit_session_link WHERE confidence >= @MinConfidence GROUP BY link_type",
            new { MinConfidence = minConfidence }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.LinkType, r => r.Links, StringComparer.Ordinal);
    }
}

/// <summary>A stored session↔commit link.</summary>
public sealed class StoredCommitLink
{
    public string CommitSha { get; set; } = "";
    public string RepoSlug { get; set; } = "";
    public string SessionId { get; set; } = "";
    public string LinkType { get; set; } = "";
    public double Confidence { get; set; }
    public string EvidenceJson { get; set; } = "";
}

/// <summary>A stored session↔PR link.</summary>
public sealed class StoredPrLink
{
    public string SessionId { get; set; } = "";
    public string Reason { get; set; } = "";
    public double Confidence { get; set; }
    public string EvidenceJson { get; set; } = "";
}
