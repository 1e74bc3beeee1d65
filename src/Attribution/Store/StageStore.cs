using Attribution.Stages;
using Dapper;
using Attribution.Common;

namespace Attribution.Store;

/// <summary>
/// PR stage attribution: hand-recorded PR facts and stage entries (pr_stage_prs, pr_stage_entries), and the
/// reads of the attribution graph the derivation needs.
/// </summary>
public sealed class StageStore(IDbConnectionFactory connections, TimeProvider time)
{
    private const string UpsertPrSql = """
        INSERT INTO pr_stage_prs (repo_slug, pr_number, title, branch, created_by, status, recorded_ts, updated_ts)
        VALUES (@Repo, @Number, @Title, @Branch, @CreatedBy, COALESCE(@Status, 'pending'), @Now, @Now)
        ON CONFLICT (repo_slug, pr_number) DO UPDATE SET
            title = COALESCE(excluded.title, pr_stage_prs.title),
            branch = COALESCE(excluded.branch, pr_stage_prs.branch),
            created_by = COALESCE(excluded.created_by, pr_stage_prs.created_by),
            status = COALESCE(@Status, pr_stage_prs.status),
            updated_ts = excluded.updated_ts
        """;

    private const string AddEntrySql = """
        INSERT INTO pr_stage_entries (repo_slug, pr_number, stage, provider, session_id, recorded_ts)
        VALUES (@Repo, @Number, @Stage, @Provider, @Session, @Now)
        ON CONFLICT (repo_slug, pr_number, stage, provider, session_id) DO NOTHING
        """;

    /// <summary>Records PR facts and stage entries; fields left null keep their recorded value (incremental).</summary>
    public async Task RecordAsync(string repo, int number, RecordedPrFacts facts, IReadOnlyList<RecordedStageEntry> entries, CancellationToken cancellationToken)
    {
        await using var unit = await connections.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        await unit.Connection.ExecuteAsync(new CommandDefinition(UpsertPrSql, new
        {
            Repo = repo,
            Number = number,
            facts.Title,
            facts.Branch,
            facts.CreatedBy,
            facts.Status,
            Now = now,
        }, unit.Transaction, cancellationToken: cancellationToken));
        foreach (var entry in entries)
        {
            await unit.Connection.ExecuteAsync(new CommandDefinition(AddEntrySql, new
            {
                Repo = repo,
                Number = number,
                Stage = PrStageNames.Name(entry.Stage),
                entry.Provider,
                Session = entry.SessionId ?? "",
                Now = now,
            }, unit.Transaction, cancellationToken: cancellationToken));
        }

        await unit.CommitAsync(cancellationToken);
    }

    private const string RecordedPrSql = """
        SELECT repo_slug AS Repo, pr_number AS Number, title AS Title, branch AS Branch, created_by AS CreatedBy,
               status AS Status, updated_ts AS UpdatedTs
        FROM pr_stage_prs WHERE repo_slug = @Repo AND pr_number = @Number
        """;

    private const string RecordedEntriesSql = """
        SELECT stage AS Stage, provider AS Provider, session_id AS SessionId, recorded_ts AS RecordedTs
        FROM pr_stage_entries WHERE repo_slug = @Repo AND pr_number = @Number ORDER BY recorded_ts, provider, session_id
        """;

    public async Task<RecordedPr?> GetRecordedAsync(string repo, int number, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var pr = await connection.QuerySingleOrDefaultAsync<RecordedPrRow>(new CommandDefinition(RecordedPrSql, new { Repo = repo, Number = number }, cancellationToken: cancellationToken));
        var entries = (await connection.QueryAsync<RecordedEntryRow>(new CommandDefinition(RecordedEntriesSql, new { Repo = repo, Number = number }, cancellationToken: cancellationToken))).AsList();
        if (pr is null && entries.Count == 0)
        {
            return null;
        }

        return new RecordedPr(
            pr?.Title, pr?.Branch, pr?.CreatedBy, pr?.Status ?? "pending", pr?.UpdatedTs,
            entries.Select(e => new RecordedStageEntry(Parse(e.Stage), e.Provider, e.SessionId.Length == 0 ? null : e.SessionId, e.RecordedTs)).ToList());
    }

    private const string ReposForNumberSql = """
        SELECT repo_slug FROM pr_stage_prs WHERE pr_number = @Number
        UNION SELECT repo_slug FROM pr_outcomes WHERE pr_number = @Number
        """;

    /// <summary>Repositories that have a PR with this number (recorded or known from the provider).</summary>
    public async Task<IReadOnlyList<string>> ReposWithPrAsync(int number, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(ReposForNumberSql, new { Number = number }, cancellationToken: cancellationToken))).AsList();
    }

    private const string KnownPrsSql = """
        SELECT repo_slug AS Repo, pr_number AS Number, updated_ts AS Ts FROM pr_stage_prs WHERE (@Repo IS NULL OR repo_slug = @Repo)
        UNION
        SELECT repo_slug AS Repo, pr_number AS Number, MAX(established_ts) AS Ts FROM session_pr_links
        WHERE confidence >= 0.5 AND (@Repo IS NULL OR repo_slug = @Repo) GROUP BY repo_slug, pr_number
        """;

    /// <summary>PRs with something to report: recorded by hand, or linked to a session. Newest first.</summary>
    public async Task<IReadOnlyList<(string Repo, int Number)>> ListPrsAsync(string? repo, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PrKeyRow>(new CommandDefinition(KnownPrsSql, new { Repo = repo }, cancellationToken: cancellationToken));
        return rows.GroupBy(r => (r.Repo, (int)r.Number))
            .Select(g => (Key: g.Key, Ts: g.Max(r => r.Ts) ?? ""))
            .OrderByDescending(x => x.Ts, StringComparer.Ordinal)
            .ThenByDescending(x => x.Key.Item2)
            .Take(limit)
            .Select(x => x.Key)
            .ToList();
    }

    private const string PrSql = """
        SELECT repo_slug, pr_number, provider, title, head_ref, base_ref, state, created_at, merged_at, closed_at, reverted_at, url, author
        FROM pr_outcomes WHERE repo_slug = @Repo AND pr_number = @Number ORDER BY provider LIMIT 1
        """;

    private const string CommitLinksSql = """
        SELECT l.session_id AS SessionId, l.commit_sha AS Sha, l.link_type AS LinkType, l.confidence AS Confidence
        FROM pr_commits c JOIN commit_session_link l ON l.repo_slug = c.repo_slug AND l.commit_sha = c.sha
        WHERE c.repo_slug = @Repo AND c.pr_number = @Number
        """;

    private const string PrLinksSql = """
        SELECT session_id AS SessionId, reason AS Reason, confidence AS Confidence
        FROM session_pr_links WHERE repo_slug = @Repo AND pr_number = @Number
        """;

    private const string ReviewArtifactsSql = """
        SELECT span_id AS SessionId, kind AS Kind, COALESCE(review_id, review_comment_id, comment_id) AS ArtifactId
        FROM run_attribution_artifacts
        WHERE repo_slug = @Repo AND pr_number = @Number AND kind IN ('review', 'review_comment', 'issue_comment', 'note')
        """;

    private const string ShellEventsSql = """
        SELECT e.session_id AS SessionId, e.ts AS Ts, e.command AS Command, e.is_error AS IsError
        FROM session_events e JOIN sessions s ON s.session_id = e.session_id
        WHERE s.repo_slug = @Repo AND e.kind = 'shell' AND e.ts >= @From AND e.ts <= @To
          AND (lower(e.command) LIKE '%test%' OR lower(e.command) LIKE '%git%' OR lower(e.command) LIKE '%make%'
               OR lower(e.command) LIKE '%jest%' OR lower(e.command) LIKE '%rspec%' OR lower(e.command) LIKE '%tox%')
        ORDER BY e.ts
        LIMIT 5000
        """;

    /// <summary>The PR and the parts of the graph that tell who worked on it; null when nothing is known of it.</summary>
    public async Task<StageGraph?> LoadGraphAsync(string repo, int number, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var args = new { Repo = repo, Number = number };
        var pr = await connection.QuerySingleOrDefaultAsync<PullRequestRow>(new CommandDefinition(PrSql, args, cancellationToken: cancellationToken));
        var commitLinks = (await connection.QueryAsync<LinkRow>(new CommandDefinition(CommitLinksSql, args, cancellationToken: cancellationToken)))
            .Select(r => new StageCommitLink(r.SessionId, r.Sha, r.LinkType, r.Confidence)).ToList();
        var prLinks = (await connection.QueryAsync<LinkRow>(new CommandDefinition(PrLinksSql, args, cancellationToken: cancellationToken)))
            .Select(r => new StagePrLink(r.SessionId, r.Reason, r.Confidence)).ToList();
        var artifacts = (await connection.QueryAsync<ArtifactRow>(new CommandDefinition(ReviewArtifactsSql, args, cancellationToken: cancellationToken)))
            .Select(r => new StageReviewArtifact(r.SessionId, r.Kind, r.ArtifactId)).ToList();
        var stagePr = pr is null
            ? new StagePr(repo, number, "github", null, null, null, null, null, null, null, null, null)
            : new StagePr(pr.RepoSlug, (int)pr.PrNumber, pr.Provider, pr.Title, pr.HeadRef, pr.BaseRef, pr.State, pr.CreatedAt, pr.MergedAt, pr.ClosedAt, pr.RevertedAt, pr.Url, pr.Author);

        var shell = new List<StageShellEvent>();
        if (pr?.CreatedAt is { } opened && repo.Length > 0)
        {
            var end = pr.MergedAt ?? pr.ClosedAt ?? time.GetUtcNow();
            var rows = await connection.QueryAsync<ShellRow>(new CommandDefinition(ShellEventsSql, new { Repo = repo, From = opened, To = end }, cancellationToken: cancellationToken));
            shell.AddRange(rows.Where(r => r.Command is not null).Select(r => new StageShellEvent(r.SessionId, r.Ts, r.Command!, r.IsError == 1)));
        }

        var ids = commitLinks.Select(l => l.SessionId).Concat(prLinks.Select(l => l.SessionId)).Concat(artifacts.Select(a => a.SessionId)).Concat(shell.Select(s => s.SessionId));
        var sessions = await LoadSessionsAsync(ids, cancellationToken);
        return new StageGraph(stagePr, commitLinks, prLinks, artifacts, shell, sessions);
    }

    private const string SessionsSql = """
        SELECT session_id, agent, model, cost_usd, git_branch, input_tokens, output_tokens, cache_write_tokens, cache_read_tokens
        FROM sessions WHERE session_id = ANY(@Ids)
        """;

    /// <summary>Sessions by id (those not in the store are simply absent).</summary>
    public async Task<IReadOnlyDictionary<string, StageSession>> LoadSessionsAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var rows = await SqlLists.QueryAsync<SessionRecord>(connections, SessionsSql, ids.Where(i => !string.IsNullOrEmpty(i)), chunk => new { Ids = chunk }, cancellationToken);
        var sessions = new Dictionary<string, StageSession>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            sessions[row.SessionId] = new StageSession(row.SessionId, row.Agent, row.Model, row.CostUsd,
                new StageTokens(row.InputTokens, row.OutputTokens, row.CacheWriteTokens, row.CacheReadTokens), row.GitBranch);
        }

        return sessions;
    }

    private static PrStage Parse(string stage) => PrStageNames.TryParse(stage, out var parsed) ? parsed : PrStage.Implementation;

    // Dapper maps rows by property (constructor mapping is strict about int/long and text timestamps across dialects).
    private sealed class RecordedPrRow
    {
        public string Repo { get; set; } = "";
        public long Number { get; set; }
        public string? Title { get; set; }
        public string? Branch { get; set; }
        public string? CreatedBy { get; set; }
        public string Status { get; set; } = "pending";
        public DateTimeOffset UpdatedTs { get; set; }
    }

    private sealed class RecordedEntryRow
    {
        public string Stage { get; set; } = "";
        public string Provider { get; set; } = "";
        public string SessionId { get; set; } = "";
        public DateTimeOffset RecordedTs { get; set; }
    }

    private sealed class PrKeyRow
    {
        public string Repo { get; set; } = "";
        public long Number { get; set; }
        public string? Ts { get; set; }
    }

    private sealed class LinkRow
    {
        public string SessionId { get; set; } = "";
        public string Sha { get; set; } = "";
        public string LinkType { get; set; } = "";
        public string Reason { get; set; } = "";
        public double Confidence { get; set; }
    }

    private sealed class ArtifactRow
    {
        public string SessionId { get; set; } = "";
        public string Kind { get; set; } = "";
        public string? ArtifactId { get; set; }
    }

    private sealed class ShellRow
    {
        public string SessionId { get; set; } = "";
        public DateTimeOffset Ts { get; set; }
        public string? Command { get; set; }
        public long? IsError { get; set; }
    }
}

/// <summary>PR facts recorded by hand; null fields keep what was recorded before.</summary>
public sealed record RecordedPrFacts(string? Title, string? Branch, string? CreatedBy, string? Status);

/// <summary>A stage entry recorded by hand.</summary>
public sealed record RecordedStageEntry(PrStage Stage, string Provider, string? SessionId, DateTimeOffset? RecordedTs = null);

/// <summary>What was recorded by hand for a PR.</summary>
public sealed record RecordedPr(string? Title, string? Branch, string? CreatedBy, string Status, DateTimeOffset? UpdatedTs, IReadOnlyList<RecordedStageEntry> Entries);
