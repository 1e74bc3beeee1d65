using System.Data;
using Attribution.Common;

namespace Attribution.Store;

/// <summary>
/// CI runs (<c>ci_runs</c>): the one writer for webhooks and REST backfill. Every write sets <c>status_rank</c>
/// (<see cref="CiStatus.Rank"/>) and keeps the newest truth (<see cref="NewestTruth.CiRunWins"/>): a later attempt
/// wins; within an attempt the status never goes back (pending → in_progress → finished); at the same stage the
/// newer source time wins. A run is one repository's (<c>provider, repo_slug, run_id</c>): a generic CI provider
/// numbers its runs per project.
/// </summary>
public sealed class CiRunStore(IDbConnectionFactory connections, TimeProvider time)
{
    // Sha, workflow, branch, url and start are kept when a source lacks them.
    private const string Assignments = """
        commit_sha = COALESCE(@CommitSha, commit_sha), status = @Status, status_rank = @StatusRank, run_attempt = @RunAttempt,
        workflow_name = COALESCE(@WorkflowName, workflow_name), branch = COALESCE(@Branch, branch), url = COALESCE(@Url, url),
        started_ts = COALESCE(@StartedTs, started_ts), completed_ts = @CompletedTs, source_updated_at = @SourceUpdatedAt,
        raw_json = @RawJson, updated_ts = @Now
        """;

    private static readonly string[] KeptColumns = ["commit_sha", "workflow_name", "branch", "url", "started_ts"];

    private static (string, string)[] Kept(Func<string, string> incoming, Func<string, string> stored) =>
        [.. KeptColumns.Select(c => (incoming(c), stored(c)))];

    private static string Parameter(string column) => "@" + string.Concat(column.Split('_').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    private static readonly string UpdateSql = "UPDATE ci_runs SET " + Assignments + " WHERE provider = @Provider AND repo_slug = @RepoSlug AND run_id = @RunId AND "
        + NewestTruth.CiRunWins("@RunAttempt", "@StatusRank", "@Status", "@SourceUpdatedAt", "@RawJson",
            "run_attempt", "status_rank", "status", "source_updated_at", "raw_json", Kept(Parameter, c => c));

    // A new run; DO UPDATE only for a writer that stored the same run since the UPDATE above found none.
    private static readonly string UpsertSql = """
        INSERT INTO ci_runs (provider, repo_slug, run_id, commit_sha, status, status_rank, run_attempt, workflow_name, branch, url,
                             started_ts, completed_ts, source_updated_at, raw_json, updated_ts)
        VALUES (@Provider, @RepoSlug, @RunId, @CommitSha, @Status, @StatusRank, @RunAttempt, @WorkflowName, @Branch, @Url,
                @StartedTs, @CompletedTs, @SourceUpdatedAt, @RawJson, @Now)
        ON CONFLICT (provider, repo_slug, run_id) DO UPDATE SET
            commit_sha = COALESCE(excluded.commit_sha, ci_runs.commit_sha), status = excluded.status,
            status_rank = excluded.status_rank, run_attempt = excluded.run_attempt,
            workflow_name = COALESCE(excluded.workflow_name, ci_runs.workflow_name), branch = COALESCE(excluded.branch, ci_runs.branch),
            url = COALESCE(excluded.url, ci_runs.url), started_ts = COALESCE(excluded.started_ts, ci_runs.started_ts),
            completed_ts = excluded.completed_ts, source_updated_at = excluded.source_updated_at, raw_json = excluded.raw_json,
            updated_ts = excluded.updated_ts
        WHERE
        """ + NewestTruth.CiRunWins("excluded.run_attempt", "excluded.status_rank", "excluded.status", "excluded.source_updated_at", "excluded.raw_json",
            "ci_runs.run_attempt", "ci_runs.status_rank", "ci_runs.status", "ci_runs.source_updated_at", "ci_runs.raw_json",
            Kept(c => "excluded." + c, c => "ci_runs." + c));

    // The stored row says all the incoming version says (see NewestTruthWrite).
    private static readonly string SameVersionSql = "SELECT count(*) FROM ci_runs WHERE provider = @Provider AND repo_slug = @RepoSlug AND run_id = @RunId AND "
        + NewestTruth.SameCiRun("@RunAttempt", "@Status", "@SourceUpdatedAt", "@RawJson", "run_attempt", "status", "source_updated_at", "raw_json",
            Kept(Parameter, c => c));

    /// <summary>Inserts or updates a run in its own unit of work (see the overload).</summary>
    public async Task<UpsertOutcome> UpsertAsync(CiRunRow run, CancellationToken cancellationToken)
    {
        await using var unit = await connections.BeginAsync(cancellationToken);
        var outcome = await UpsertAsync(unit, run, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return outcome;
    }

    /// <summary>Inserts or updates a run inside the caller's unit of work; <see cref="UpsertOutcome.Stale"/> when the stored version is newer.</summary>
    public async Task<UpsertOutcome> UpsertAsync(UnitOfWork unit, CiRunRow run, CancellationToken cancellationToken)
    {
        object?[] values =
        [
            run.Provider, RepoSlug.Normalize(run.RepoSlug), run.RunId, run.CommitSha?.ToLowerInvariant(), run.Status, CiStatus.Rank(run.Status),
            run.RunAttempt, run.WorkflowName, run.Branch, run.Url, run.StartedTs, run.CompletedTs, run.SourceUpdatedAt, run.RawJson, time.GetUtcNow(),
        ];
        return await Write.RunAsync(unit, values, cancellationToken);
    }

    // Times are bound as text, so that an absent one is a typed null (PostgreSQL cannot type an untyped null in "IS NULL").
    private static readonly NewestTruthWrite Write = new(UpdateSql, SameVersionSql, UpsertSql,
        [
            ("Provider", DbType.String), ("RepoSlug", DbType.String), ("RunId", DbType.String), ("CommitSha", DbType.String), ("Status", DbType.String),
            ("StatusRank", DbType.Int32), ("RunAttempt", DbType.Int32), ("WorkflowName", DbType.String), ("Branch", DbType.String), ("Url", DbType.String),
            ("StartedTs", DbType.String), ("CompletedTs", DbType.String), ("SourceUpdatedAt", DbType.String), ("RawJson", DbType.String), ("Now", DbType.String),
        ],
        "Provider", "RepoSlug", "RunId", "RunAttempt", "Status", "SourceUpdatedAt", "RawJson", "CommitSha", "WorkflowName", "Branch", "Url", "StartedTs");
}
