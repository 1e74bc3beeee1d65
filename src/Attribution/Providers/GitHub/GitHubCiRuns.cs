using System.Text.Json;
using Attribution.Common;
using Attribution.Store;
using static Attribution.Common.PayloadJson;

namespace Attribution.Providers.GitHub;

/// <summary>
/// GitHub CI objects → <see cref="CiRunRecord"/>, once for webhook deliveries and REST answers (the objects are the
/// same shapes): workflow runs and jobs (provider <c>github-actions</c>), check runs and suites (<c>github-checks</c>)
/// and commit statuses (<c>github-status</c>). Ids from <see cref="CiRunIds"/>, states from <see cref="CiStatus"/>.
/// </summary>
public static class GitHubCiRuns
{
    /// <summary>A <c>workflow_run</c> (delivery) or an item of <c>workflow_runs</c> (<c>GET /actions/runs</c>).</summary>
    /// <param name="workflowName">The delivery's <c>workflow.name</c>, when it has one; else the run's own name.</param>
    public static CiRunRecord WorkflowRun(JsonElement run, string repoSlug, string? workflowName = null, string path = "workflow_run")
    {
        var status = CiStatus.FromGitHub(String(run, "status"), String(run, "conclusion"));
        var updated = Timestamp(run, "updated_at");
        return new CiRunRecord
        {
            Provider = CiRunIds.GitHubActions,
            RepoSlug = RepoSlug.Normalize(repoSlug),
            RunId = CiRunIds.WorkflowRun(RequiredLong(run, "id", path + ".id")),
            CommitSha = String(run, "head_sha"),
            Status = status,
            WorkflowName = NonEmpty(workflowName) ?? NonEmpty(String(run, "name")),
            Branch = String(run, "head_branch"),
            Url = String(run, "html_url"),
            StartedTs = Timestamp(run, "run_started_at") ?? Timestamp(run, "created_at"),
            // A run has no completed_at: its last update of a finished run is when it finished.
            CompletedTs = CiStatus.IsFinal(status) ? updated : null,
            SourceUpdatedAt = updated,
            RunAttempt = (int)(Long(run, "run_attempt") ?? 1),
            RawJson = run.GetRawText(),
        };
    }

    /// <summary>A <c>workflow_job</c> (delivery) or an item of <c>jobs</c> (<c>GET /actions/runs/{id}/jobs</c>).</summary>
    public static CiRunRecord WorkflowJob(JsonElement job, string repoSlug, string path = "workflow_job")
    {
        var workflow = NonEmpty(String(job, "workflow_name"));
        var name = NonEmpty(String(job, "name"));
        var completed = Timestamp(job, "completed_at");
        var started = Timestamp(job, "started_at");
        return new CiRunRecord
        {
            Provider = CiRunIds.GitHubActions,
            RepoSlug = RepoSlug.Normalize(repoSlug),
            RunId = CiRunIds.WorkflowJob(RequiredLong(job, "id", path + ".id")),
            CommitSha = String(job, "head_sha"),
            Status = CiStatus.FromGitHub(String(job, "status"), String(job, "conclusion")),
            WorkflowName = workflow is not null && name is not null ? $"{workflow} / {name}" : workflow ?? name,
            Branch = String(job, "head_branch"),
            Url = String(job, "html_url"),
            StartedTs = started,
            CompletedTs = completed,
            // Jobs carry no updated_at: their latest transition stands in for it.
            SourceUpdatedAt = completed ?? started ?? Timestamp(job, "created_at"),
            RunAttempt = (int)(Long(job, "run_attempt") ?? 1),
            RawJson = job.GetRawText(),
        };
    }

    /// <summary>A <c>check_run</c> (delivery) or an item of <c>check_runs</c> (<c>GET /commits/{sha}/check-runs</c>).</summary>
    public static CiRunRecord CheckRun(JsonElement check, string repoSlug, string path = "check_run")
    {
        var completed = Timestamp(check, "completed_at");
        var started = Timestamp(check, "started_at");
        return new CiRunRecord
        {
            Provider = CiRunIds.GitHubChecks,
            RepoSlug = RepoSlug.Normalize(repoSlug),
            RunId = CiRunIds.CheckRun(RequiredLong(check, "id", path + ".id")),
            CommitSha = String(check, "head_sha"),
            Status = CiStatus.FromGitHub(String(check, "status"), String(check, "conclusion")),
            WorkflowName = String(check, "name"),
            // A check run has no head_branch of its own; its suite has.
            Branch = String(Optional(check, "check_suite"), "head_branch"),
            Url = String(check, "html_url"),
            StartedTs = started,
            CompletedTs = completed,
            // Check runs carry no updated_at: their latest transition stands in for it.
            SourceUpdatedAt = completed ?? started,
            RawJson = check.GetRawText(),
        };
    }

    /// <summary>A <c>check_suite</c> (delivery) or an item of <c>check_suites</c>.</summary>
    public static CiRunRecord CheckSuite(JsonElement suite, string repoSlug, string path = "check_suite")
    {
        var status = CiStatus.FromGitHub(String(suite, "status"), String(suite, "conclusion"));
        var updated = Timestamp(suite, "updated_at");
        return new CiRunRecord
        {
            Provider = CiRunIds.GitHubChecks,
            RepoSlug = RepoSlug.Normalize(repoSlug),
            RunId = CiRunIds.CheckSuite(RequiredLong(suite, "id", path + ".id")),
            CommitSha = String(suite, "head_sha"),
            Status = status,
            WorkflowName = String(Optional(suite, "app"), "name"),
            Branch = String(suite, "head_branch"),
            Url = String(suite, "url"),
            StartedTs = Timestamp(suite, "created_at"),
            CompletedTs = CiStatus.IsFinal(status) ? updated : null,
            SourceUpdatedAt = updated,
            RawJson = suite.GetRawText(),
        };
    }

    /// <summary>
    /// A commit status: the <c>status</c> delivery itself, or an item of <c>GET /commits/{sha}/statuses</c> (which
    /// has no sha inside: <paramref name="sha"/> is the commit asked about). One row per repository, commit and context.
    /// </summary>
    /// <param name="keepRaw">False for a delivery: the status event is the whole payload (commit, branches), not one object.</param>
    public static CiRunRecord CommitStatus(JsonElement status, string repoSlug, string? sha, bool keepRaw = true)
    {
        var commit = String(status, "sha") ?? sha ?? RequiredString(status, "sha", "sha");
        var context = RequiredString(status, "context", "context");
        var normalised = CiStatus.FromGitHubState(RequiredString(status, "state", "state"));
        var updated = Timestamp(status, "updated_at");
        return new CiRunRecord
        {
            Provider = CiRunIds.GitHubStatus,
            RepoSlug = RepoSlug.Normalize(repoSlug),
            RunId = CiRunIds.CommitStatus(repoSlug, commit, context),
            CommitSha = commit,
            Status = normalised,
            WorkflowName = context,
            Url = String(status, "target_url"),
            StartedTs = Timestamp(status, "created_at"),
            CompletedTs = CiStatus.IsFinal(normalised) ? updated : null,
            SourceUpdatedAt = updated,
            RawJson = keepRaw ? status.GetRawText() : null,
        };
    }
}
