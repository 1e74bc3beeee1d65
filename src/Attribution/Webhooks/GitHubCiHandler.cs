using System.Text.Json;
using Attribution.Providers.GitHub;
using static Attribution.Common.PayloadJson;
using static Attribution.Providers.RepoField;

namespace Attribution.Webhooks;

/// <summary>
/// GitHub <c>workflow_run</c>, <c>workflow_job</c> (provider <c>github-actions</c>), <c>check_run</c>, <c>check_suite</c>
/// (<c>github-checks</c>) and <c>status</c> (<c>github-status</c>) → <c>ci_runs</c>, mapped by <see cref="GitHubCiRuns"/>.
/// </summary>
public static class GitHubCiHandler
{
    public static ParsedDelivery Parse(string eventName, JsonElement root)
    {
        var repo = GitHubRepo(root);
        var run = eventName switch
        {
            "workflow_run" => GitHubCiRuns.WorkflowRun(RequiredObject(root, "workflow_run", "workflow_run"), repo, String(Optional(root, "workflow"), "name")),
            "workflow_job" => GitHubCiRuns.WorkflowJob(RequiredObject(root, "workflow_job", "workflow_job"), repo),
            "check_run" => GitHubCiRuns.CheckRun(RequiredObject(root, "check_run", "check_run"), repo),
            "check_suite" => GitHubCiRuns.CheckSuite(RequiredObject(root, "check_suite", "check_suite"), repo),
            _ => GitHubCiRuns.CommitStatus(root, repo, sha: null, keepRaw: false),
        };
        return new ParsedDelivery(String(root, "action"), repo, new CiRunEffect(run));
    }
}
