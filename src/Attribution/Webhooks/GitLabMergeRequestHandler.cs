using System.Text.Json;
using Attribution.Providers.GitLab;
using static Attribution.Common.PayloadJson;
using static Attribution.Providers.RepoField;

namespace Attribution.Webhooks;

/// <summary>GitLab <c>Merge Request Hook</c> → <c>pr_outcomes</c>, mapped by <see cref="GitLabMergeRequests"/>.</summary>
public static class GitLabMergeRequestHandler
{
    public static ParsedDelivery Parse(JsonElement root)
    {
        var attributes = RequiredObject(root, "object_attributes", "object_attributes");
        var repo = GitLabRepo(root);
        var record = GitLabMergeRequests.FromHook(attributes, Optional(root, "user"), repo);
        return new ParsedDelivery(String(attributes, "action"), repo, new PullRequestEffect(record, []));
    }
}
