using Attribution.Common;
using Dapper;

namespace Attribution.Store;

/// <summary>
/// CI runs (<c>ci_runs</c>) from webhooks and REST backfill. An upsert keeps the newest truth: a later attempt
/// wins; within an attempt the status never goes back (pending → in_progress → finished); at the same stage
/// the newer source time wins.
/// </summary>
public sealed class CiRunStore(IDbConnectionFactory connections, TimeProvider time)
{
    private const string UpsertSql = """
        INSERT INTO ci_runs (provider, repo_slug, run_id, commit_sha, status, status_rank, run_attempt, workflow_name, branch, url,
                             started_ts, completed_ts, source_updated_at, raw_json, updated_ts)
        VALUES (@Provider, @RepoSlug, @RunId, @CommitSha, @Status, @StatusRank, @RunAttempt, @WorkflowName, @Branch, @Url,
                @StartedTs, @CompletedTs, @SourceUpdatedAt, @RawJson, @Now)
        ON CONFLICT (provider, run_id) DO UPDATE SET
            repo_slug = excluded.repo_slug, commit_sha = COALESCE(excluded.commit_sha, ci_runs.commit_sha), status = excluded.status,
            status_rank = excluded.status_rank, run_attempt = excluded.run_attempt,
            workflow_name = COALESCE(excluded.workflow_name, ci_runs.workflow_name), branch = COALESCE(excluded.branch, ci_runs.branch),
            url = COALESCE(excluded.url, ci_runs.url), started_ts = COALESCE(excluded.started_ts, ci_runs.started_ts),
            completed_ts = excluded.completed_ts, source_updated_at = excluded.source_updated_at, raw_json = excluded.raw_json,
            updated_ts = excluded.updated_ts
        WHERE excluded.run_attempt > ci_runs.run_attempt
           OR (excluded.run_attempt = ci_runs.run_attempt AND excluded.status_rank > ci_runs.status_rank)
           OR (excluded.run_attempt = ci_runs.run_attempt AND excluded.status_rank = ci_runs.status_rank
               AND (ci_runs.source_updated_at IS NULL OR excluded.source_updated_at IS NULL
                    OR excluded.source_updated_at >= ci_runs.source_updated_at))
        """;

    /// <summary>Inserts or updates a run; false when the stored version is newer and was kept.</summary>
    public async Task<bool> UpsertAsync(CiRunRecord run, CancellationToken cancellationToken)
    {
        await using var unit = await connections.BeginAsync(cancellationToken);
        var applied = await UpsertAsync(unit, run, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return applied;
    }

    /// <summary>Inserts or updates a run inside the caller's unit of work; false when the stored version is newer.</summary>
    public async Task<bool> UpsertAsync(UnitOfWork unit, CiRunRecord run, CancellationToken cancellationToken)
    {
        var rows = await unit.Connection.ExecuteAsync(new CommandDefinition(UpsertSql, new
        {
            run.Provider,
            RepoSlug = RepoSlug.Normalize(run.RepoSlug),
            run.RunId,
            CommitSha = run.CommitSha?.ToLowerInvariant(),
            run.Status,
            StatusRank = CiStatus.Rank(run.Status),
            run.RunAttempt,
            run.WorkflowName,
            run.Branch,
            run.Url,
            run.StartedTs,
            run.CompletedTs,
            run.SourceUpdatedAt,
            run.RawJson,
            Now = time.GetUtcNow(),
        }, unit.Transaction, cancellationToken: cancellationToken));
        return rows > 0;
    }
}
