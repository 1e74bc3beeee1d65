using System.Text.Json;
using Attribution.Providers.GitHub;
using static Attribution.Common.PayloadJson;
using static Attribution.Providers.RepoField;

namespace Attribution.Webhooks;

/// <summary>GitHub <c>pull_request</c> (every action) → <c>pr_outcomes</c>, its head commit → <c>pr_commits</c>.</summary>
public static class GitHubPullRequestHandler
{
    public static ParsedDelivery Parse(JsonElement root)
    {
        var pr = RequiredObject(root, "pull_request", "pull_request");
        var repo = GitHubRepo(root);
        var record = GitHubPullRequests.Map(pr, repo, number: IssueNumber(root, "number", "number"));
        var reverts = record.State == "merged" ? GitHubPullRequests.Reverts(record.Body, repo) : [];
        return new ParsedDelivery(String(root, "action"), repo, new PullRequestEffect(record, reverts));
    }
}
