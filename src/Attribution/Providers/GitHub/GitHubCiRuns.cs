using System.Text.Json;
using Attribution.Common;
using Attribution.Store;
using static Attribution.Common.PayloadJson;

namespace Attribution.Providers.GitHub;

/// <summary>
/// GitHub CI objects → <see cref="CiRunRow"/>, once for webhook deliveries and REST answers (the objects are the
/// same shapes): workflow runs and jobs (provider <c>github-actions</c>), check runs and suites (<c>github-checks</c>)
/// and commit statuses (<c>github-status</c>). Ids from <see cref="CiRunIds"/>, states from <see cref="CiStatus"/>.
/// </summary>
public static class GitHubCiRuns
{
    /// <summary>A <c>workflow_run</c> (delivery) or an item of <c>workflow_runs</c> (<c>GET /actions/runs</c>).</summary>
    /// <param name="workflowName">The delivery's <c>workflow.name</c>, when it has one; else the run's own name.</param>
    public static CiRunRow WorkflowRun(JsonElement run, string repoSlug, string? workflowName = null, string path = "workflow_run") =>
        Updated(run, CiRunIds.GitHubActions, CiRunIds.WorkflowRun(RequiredLong(run, "id", path + ".id")), repoSlug,
            NonEmpty(workflowName) ?? NonEmpty(String(run, "name")), String(run, "html_url"), Timestamp(run, "run_started_at") ?? Timestamp(run, "created_at"));

    /// <summary>A <c>check_suite</c> (delivery) or an item of <c>check_suites</c>.</summary>
    public static CiRunRow CheckSuite(JsonElement suite, string repoSlug, string path = "check_suite") =>
        Updated(suite, CiRunIds.GitHubChecks, CiRunIds.CheckSuite(RequiredLong(suite, "id", path + ".id")), repoSlug,
            String(Optional(suite, "app"), "name"), String(suite, "url"), Timestamp(suite, "created_at"));

    /// <summary>A <c>workflow_job</c> (delivery) or an item of <c>jobs</c> (<c>GET /actions/runs/{id}/jobs</c>).</summary>
    public static CiRunRow WorkflowJob(JsonElement job, string repoSlug, string path = "workflow_job")
    {
        var workflow = NonEmpty(String(job, "workflow_name"));
        var name = NonEmpty(String(job, "name"));
        return Transitions(job, CiRunIds.GitHubActions, CiRunIds.WorkflowJob(RequiredLong(job, "id", path + ".id")), repoSlug,
            workflow is not null && name is not null ? $"{workflow} / {name}" : workflow ?? name, String(job, "head_branch"));
    }

    /// <summary>A <c>check_run</c> (delivery) or an item of <c>check_runs</c> (<c>GET /commits/{sha}/check-runs</c>).</summary>
    public static CiRunRow CheckRun(JsonElement check, string repoSlug, string path = "check_run") =>
        // A check run has no head_branch of its own; its suite has.
        Transitions(check, CiRunIds.GitHubChecks, CiRunIds.CheckRun(RequiredLong(check, "id", path + ".id")), repoSlug,
            String(check, "name"), String(Optional(check, "check_suite"), "head_branch"));

    // Runs and suites carry updated_at: a finished one's last update is when it finished (they have no completed_at).
    private static CiRunRow Updated(JsonElement item, string provider, string runId, string repoSlug, string? name, string? url, DateTimeOffset? started)
    {
        var status = CiStatus.FromGitHub(String(item, "status"), String(item, "conclusion"));
        var updated = Timestamp(item, "updated_at");
        return Record(item, provider, runId, repoSlug, status, name, String(item, "head_branch"), url, started, CiStatus.IsFinal(status) ? updated : null, updated);
    }

    // Jobs and check runs carry no updated_at: their latest transition stands in for it.
    private static CiRunRow Transitions(JsonElement item, string provider, string runId, string repoSlug, string? name, string? branch)
    {
        var started = Timestamp(item, "started_at");
        var completed = Timestamp(item, "completed_at");
        var status = CiStatus.FromGitHub(String(item, "status"), String(item, "conclusion"));
        return Record(item, provider, runId, repoSlug, status, name, branch, String(item, "html_url"), started, completed, completed ?? started ?? Timestamp(item, "created_at"));
    }

    private static CiRunRow Record(JsonElement item, string provider, string runId, string repoSlug, string status, string? name, string? branch, string? url,
        DateTimeOffset? started, DateTimeOffset? completed, DateTimeOffset? updated) => new()
    {
        Provider = provider,
        RepoSlug = RepoSlug.Normalize(repoSlug),
        RunId = runId,
        CommitSha = String(item, "head_sha"),
        Status = status,
        WorkflowName = name,
        Branch = branch,
        Url = url,
        StartedTs = started,
        CompletedTs = completed,
        SourceUpdatedAt = updated,
        RunAttempt = (int)(Long(item, "run_attempt") ?? 1),
        RawJson = item.GetRawText(),
    };

    /// <summary>
    /// A commit status: the <c>status</c> delivery itself, or an item of <c>GET /commits/{sha}/statuses</c> (which
    /// has no sha inside: <paramref name="sha"/> is the commit asked about). One row per repository, commit and context.
    /// </summary>
    /// <param name="keepRaw">False for a delivery: the status event is the whole payload (commit, branches), not one object.</param>
    public static CiRunRow CommitStatus(JsonElement status, string repoSlug, string? sha, bool keepRaw = true)
    {
        var commit = String(status, "sha") ?? sha ?? RequiredString(status, "sha", "sha");
        var context = RequiredString(status, "context", "context");
        var normalised = CiStatus.FromGitHubState(RequiredString(status, "state", "state"));
        var updated = Timestamp(status, "updated_at");
        return new CiRunRow
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
