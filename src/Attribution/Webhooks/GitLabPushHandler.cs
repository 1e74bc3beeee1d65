using System.Text.Json;
using static Attribution.Common.PayloadJson;
using static Attribution.Providers.RepoField;

namespace Attribution.Webhooks;

/// <summary>GitLab <c>Push Hook</c> → commits of a branch; tag pushes and branch deletions are deliveries only.</summary>
public static class GitLabPushHandler
{
    public static ParsedDelivery Parse(JsonElement root)
    {
        var gitRef = RequiredString(root, "ref", "ref");
        var repo = GitLabRepo(root);
        var deleted = GitHubPushHandler.IsZeroSha(String(root, "after"));
        if (GitHubPushHandler.Classify(gitRef, deleted) is { } reason)
        {
            return new ParsedDelivery(null, repo, new NoEffect(reason));
        }

        var branch = gitRef["refs/heads/".Length..];
        return new ParsedDelivery(null, repo, new PushEffect("gitlab", repo, branch, GitHubPushHandler.ReadCommits(root, repo, branch, "commits")));
    }
}
