using Attribution.Common;
using System.Text.Json;
using Attribution.Store;
using static Attribution.Webhooks.PayloadJson;

namespace Attribution.Webhooks;

/// <summary>
/// GitHub <c>workflow_run</c>, <c>workflow_job</c> (provider <c>github-actions</c>), <c>check_run</c>, <c>check_suite</c>
/// (<c>github-checks</c>) and <c>status</c> (<c>github-status</c>) → <c>ci_runs</c>.
/// </summary>
public static class GitHubCiHandler
{
    public static ParsedDelivery Parse(string eventName, JsonElement root)
    {
        var repo = RequiredRepo(RequiredObject(root, "repository", "repository"), "full_name", "repository.full_name");
        var action = String(root, "action");
        var run = eventName switch
        {
            "workflow_run" => WorkflowRun(root, repo),
            "workflow_job" => WorkflowJob(root, repo),
            "check_run" => CheckRun(root, repo),
            "check_suite" => CheckSuite(root, repo),
            _ => CommitStatus(root, repo),
        };
        return new ParsedDelivery(action, repo, new CiRunEffect(run));
    }

    private static CiRunRecord WorkflowRun(JsonElement root, string repo)
    {
        var run = RequiredObject(root, "workflow_run", "workflow_run");
        var status = CiStatus.FromGitHub(String(run, "status"), String(run, "conclusion"));
        var updated = Timestamp(run, "updated_at");
        var workflowName = Optional(root, "workflow") is { } workflow ? String(workflow, "name") : null;
        return new CiRunRecord
        {
            Provider = CiRunIds.GitHubActions,
            RepoSlug = repo,
            RunId = CiRunIds.WorkflowRun(RequiredLong(run, "id", "workflow_run.id")),
            CommitSha = String(run, "head_sha"),
            Status = status,
            WorkflowName = NonEmpty(workflowName) ?? NonEmpty(String(run, "name")),
            Branch = String(run, "head_branch"),
            Url = String(run, "html_url"),
            StartedTs = Timestamp(run, "run_started_at") ?? Timestamp(run, "created_at"),
            CompletedTs = CiStatus.IsFinal(status) ? updated : null,
            SourceUpdatedAt = updated,
            RunAttempt = (int)(Long(run, "run_attempt") ?? 1),
            RawJson = run.GetRawText(),
        };
    }

    private static CiRunRecord WorkflowJob(JsonElement root, string repo)
    {
        var job = RequiredObject(root, "workflow_job", "workflow_job");
        var workflow = NonEmpty(String(job, "workflow_name"));
        var name = NonEmpty(String(job, "name"));
        var completed = Timestamp(job, "completed_at");
        var started = Timestamp(job, "started_at");
        return new CiRunRecord
        {
            Provider = CiRunIds.GitHubActions,
            RepoSlug = repo,
            RunId = CiRunIds.WorkflowJob(RequiredLong(job, "id", "workflow_job.id")),
            CommitSha = String(job, "head_sha"),
            Status = CiStatus.FromGitHub(String(job, "status"), String(job, "conclusion")),
            WorkflowName = workflow is not null && name is not null ? $"{workflow} / {name}" : workflow ?? name,
            Branch = String(job, "head_branch"),
            Url = String(job, "html_url"),
            StartedTs = started,
            CompletedTs = completed,
            SourceUpdatedAt = completed ?? started ?? Timestamp(job, "created_at"),
            RunAttempt = (int)(Long(job, "run_attempt") ?? 1),
            RawJson = job.GetRawText(),
        };
    }

    private static CiRunRecord CheckRun(JsonElement root, string repo)
    {
        var check = RequiredObject(root, "check_run", "check_run");
        var completed = Timestamp(check, "completed_at");
        var started = Timestamp(check, "started_at");
        return new CiRunRecord
        {
            Provider = CiRunIds.GitHubChecks,
            RepoSlug = repo,
            RunId = CiRunIds.CheckRun(RequiredLong(check, "id", "check_run.id")),
            CommitSha = String(check, "head_sha"),
            Status = CiStatus.FromGitHub(String(check, "status"), String(check, "conclusion")),
            WorkflowName = String(check, "name"),
            // check_run has no head_branch of its own; its suite has.
            Branch = Optional(check, "check_suite") is { } suite ? String(suite, "head_branch") : null,
            Url = String(check, "html_url"),
            StartedTs = started,
            CompletedTs = completed,
            SourceUpdatedAt = completed ?? started,
            RawJson = check.GetRawText(),
        };
    }

    private static CiRunRecord CheckSuite(JsonElement root, string repo)
    {
        var suite = RequiredObject(root, "check_suite", "check_suite");
        var status = CiStatus.FromGitHub(String(suite, "status"), String(suite, "conclusion"));
        var updated = Timestamp(suite, "updated_at");
        return new CiRunRecord
        {
            Provider = CiRunIds.GitHubChecks,
            RepoSlug = repo,
            RunId = CiRunIds.CheckSuite(RequiredLong(suite, "id", "check_suite.id")),
            CommitSha = String(suite, "head_sha"),
            Status = status,
            WorkflowName = Optional(suite, "app") is { } app ? String(app, "name") : null,
            Branch = String(suite, "head_branch"),
            Url = String(suite, "url"),
            StartedTs = Timestamp(suite, "created_at"),
            CompletedTs = CiStatus.IsFinal(status) ? updated : null,
            SourceUpdatedAt = updated,
            RawJson = suite.GetRawText(),
        };
    }

    private static CiRunRecord CommitStatus(JsonElement root, string repo)
    {
        var sha = RequiredString(root, "sha", "sha");
        var context = RequiredString(root, "context", "context");
        var status = CiStatus.FromGitHubState(RequiredString(root, "state", "state"));
        var updated = Timestamp(root, "updated_at");
        return new CiRunRecord
        {
            Provider = CiRunIds.GitHubStatus,
            RepoSlug = repo,
            RunId = CiRunIds.CommitStatus(repo, sha, context),
            CommitSha = sha,
            Status = status,
            WorkflowName = context,
            Url = String(root, "target_url"),
            StartedTs = Timestamp(root, "created_at"),
            CompletedTs = CiStatus.IsFinal(status) ? updated : null,
            SourceUpdatedAt = updated,
            RawJson = null,
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
