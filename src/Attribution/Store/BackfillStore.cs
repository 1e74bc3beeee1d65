using Attribution.Backfill;
using Dapper;

namespace Attribution.Store;

/// <summary>
/// REST backfill's writes into the webhook tables (<c>pr_outcomes</c>, <c>pr_commits</c>, <c>ci_runs</c>,
/// <c>commits</c>) with the receivers' semantics: slugs lowercased, newest provider <c>updated_at</c> wins,
/// columns other features own (reverted_at, linked sessions, downstream touches) are never touched.
/// </summary>
public sealed class BackfillStore(IDbConnectionFactory connections, CommitStore commitStore, TimeProvider time) : IBackfillSink
{
    private sealed class StoredVersion
    {
        public DateTimeOffset? SourceUpdatedAt { get; init; }
        public string? RawJson { get; init; }
    }

    private const string GetPullRequestSql = """
        SELECT source_updated_at, raw_json FROM pr_outcomes
        WHERE provider = @Provider AND repo_slug = @RepoSlug AND pr_number = @Number
        """;

    private const string InsertPullRequestSql = """
        INSERT INTO pr_outcomes (provider, repo_slug, pr_number, title, state, merged_at, author, url, head_ref, head_sha, base_ref,
                                 merge_commit_sha, body, created_at, closed_at, source_updated_at, raw_json, updated_ts)
        VALUES (@Provider, @RepoSlug, @Number, @Title, @State, @MergedAt, @Author, @Url, @HeadRef, @HeadSha, @BaseRef,
                @MergeCommitSha, @Body, @CreatedAt, @ClosedAt, @SourceUpdatedAt, @RawJson, @Now)
        """;

    private const string UpdatePullRequestSql = """
        UPDATE pr_outcomes SET title = @Title, state = @State, merged_at = @MergedAt, author = @Author, url = @Url,
            head_ref = @HeadRef, head_sha = @HeadSha, base_ref = @BaseRef, merge_commit_sha = @MergeCommitSha, body = @Body,
            created_at = @CreatedAt, closed_at = @ClosedAt, source_updated_at = @SourceUpdatedAt, raw_json = @RawJson, updated_ts = @Now
        WHERE provider = @Provider AND repo_slug = @RepoSlug AND pr_number = @Number
        """;

    public async Task<UpsertOutcome> UpsertPullRequestAsync(PullRequestRecord pullRequest, CancellationToken cancellationToken)
    {
        var args = new
        {
            pullRequest.Provider,
            RepoSlug = RepoSlug.Normalize(pullRequest.RepoSlug),
            pullRequest.Number,
            pullRequest.Title,
            pullRequest.State,
            pullRequest.MergedAt,
            pullRequest.Author,
            pullRequest.Url,
            pullRequest.HeadRef,
            HeadSha = pullRequest.HeadSha?.ToLowerInvariant(),
            pullRequest.BaseRef,
            MergeCommitSha = pullRequest.State == "merged" ? pullRequest.MergeCommitSha?.ToLowerInvariant() : null,
            pullRequest.Body,
            pullRequest.CreatedAt,
            pullRequest.ClosedAt,
            pullRequest.SourceUpdatedAt,
            RawJson = pullRequest.RawJson?.ToString(),
            Now = time.GetUtcNow(),
        };

        await using var unit = await connections.BeginAsync(cancellationToken);
        var stored = await unit.Connection.QuerySingleOrDefaultAsync<StoredVersion>(new CommandDefinition(GetPullRequestSql, args, unit.Transaction, cancellationToken: cancellationToken));
        var outcome = NewestTruth.Decide(stored is not null, stored?.SourceUpdatedAt, stored?.RawJson, pullRequest.SourceUpdatedAt, args.RawJson ?? "");
        var sql = outcome switch
        {
            UpsertOutcome.Inserted => InsertPullRequestSql,
            UpsertOutcome.Updated => UpdatePullRequestSql,
            _ => null,
        };
        if (sql is not null)
        {
            await unit.Connection.ExecuteAsync(new CommandDefinition(sql, args, unit.Transaction, cancellationToken: cancellationToken));
            await unit.CommitAsync(cancellationToken);
        }

        return outcome;
    }

    private const string InsertPrCommitSql = """
        INSERT INTO pr_commits (provider, repo_slug, pr_number, sha, source) VALUES (@Provider, @RepoSlug, @Number, @Sha, 'api')
        ON CONFLICT (provider, repo_slug, pr_number, sha) DO NOTHING
        """;

    public async Task<int> AddPullRequestCommitsAsync(string provider, string repoSlug, long number, IReadOnlyList<string> shas, CancellationToken cancellationToken)
    {
        if (shas.Count == 0)
        {
            return 0;
        }

        var slug = RepoSlug.Normalize(repoSlug);
        var added = 0;
        await using var unit = await connections.BeginAsync(cancellationToken);
        foreach (var sha in shas.Select(s => s.ToLowerInvariant()).Distinct(StringComparer.Ordinal))
        {
            added += await unit.Connection.ExecuteAsync(new CommandDefinition(InsertPrCommitSql, new { Provider = provider, RepoSlug = slug, Number = number, Sha = sha }, unit.Transaction, cancellationToken: cancellationToken));
        }

        await unit.CommitAsync(cancellationToken);
        return added;
    }

    private const string GetCiRunSql = "SELECT source_updated_at, raw_json FROM ci_runs WHERE provider = @Provider AND run_id = @RunId";

    private const string InsertCiRunSql = """
        INSERT INTO ci_runs (provider, repo_slug, run_id, commit_sha, status, workflow_name, branch, url, started_ts, completed_ts,
                             source_updated_at, raw_json, updated_ts)
        VALUES (@Provider, @RepoSlug, @RunId, @CommitSha, @Status, @WorkflowName, @Branch, @Url, @StartedTs, @CompletedTs,
                @SourceUpdatedAt, @RawJson, @Now)
        """;

    private const string UpdateCiRunSql = """
        UPDATE ci_runs SET repo_slug = @RepoSlug, commit_sha = @CommitSha, status = @Status, workflow_name = @WorkflowName, branch = @Branch,
            url = @Url, started_ts = @StartedTs, completed_ts = @CompletedTs, source_updated_at = @SourceUpdatedAt, raw_json = @RawJson, updated_ts = @Now
        WHERE provider = @Provider AND run_id = @RunId
        """;

    public async Task<UpsertOutcome> UpsertCiRunAsync(CiRunRecord run, CancellationToken cancellationToken)
    {
        var args = new
        {
            run.Provider,
            RepoSlug = RepoSlug.Normalize(run.RepoSlug),
            run.RunId,
            CommitSha = run.CommitSha?.ToLowerInvariant(),
            run.Status,
            run.WorkflowName,
            run.Branch,
            run.Url,
            run.StartedTs,
            run.CompletedTs,
            run.SourceUpdatedAt,
            run.RawJson,
            Now = time.GetUtcNow(),
        };

        await using var unit = await connections.BeginAsync(cancellationToken);
        var stored = await unit.Connection.QuerySingleOrDefaultAsync<StoredVersion>(new CommandDefinition(GetCiRunSql, args, unit.Transaction, cancellationToken: cancellationToken));
        var outcome = NewestTruth.Decide(stored is not null, stored?.SourceUpdatedAt, stored?.RawJson, run.SourceUpdatedAt, run.RawJson ?? "");
        var sql = outcome switch
        {
            UpsertOutcome.Inserted => InsertCiRunSql,
            UpsertOutcome.Updated => UpdateCiRunSql,
            _ => null,
        };
        if (sql is not null)
        {
            await unit.Connection.ExecuteAsync(new CommandDefinition(sql, args, unit.Transaction, cancellationToken: cancellationToken));
            await unit.CommitAsync(cancellationToken);
        }

        return outcome;
    }

    public Task UpsertCommitsAsync(IReadOnlyList<CommitRecord> commits, CancellationToken cancellationToken) =>
        commitStore.UpsertAsync(commits, cancellationToken);

    private const string MarkRevertedSql = """
        UPDATE pr_outcomes SET reverted_at = @RevertedAt, reverted_by_pr = @RevertedByPr, updated_ts = @Now
        WHERE provider = @Provider AND repo_slug = @RepoSlug AND pr_number = @Number AND reverted_at IS NULL
        """;

    public async Task<bool> MarkRevertedAsync(string provider, string repoSlug, long number, DateTimeOffset revertedAt, long revertedByPr, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(MarkRevertedSql, new
        {
            Provider = provider,
            RepoSlug = RepoSlug.Normalize(repoSlug),
            Number = number,
            RevertedAt = revertedAt,
            RevertedByPr = revertedByPr,
            Now = time.GetUtcNow(),
        }, cancellationToken: cancellationToken));
        return changed > 0;
    }
}
