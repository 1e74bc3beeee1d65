using System.Text.Json;
using Attribution.Store;
using static Attribution.Webhooks.PayloadJson;

namespace Attribution.Webhooks;

/// <summary>GitLab <c>Merge Request Hook</c> → <c>pr_outcomes</c> (provider <c>gitlab</c>, number = <c>iid</c>).</summary>
public static class GitLabMergeRequestHandler
{
    public static ParsedDelivery Parse(JsonElement root)
    {
        var attributes = RequiredObject(root, "object_attributes", "object_attributes");
        var repo = RequiredRepo(RequiredObject(root, "project", "project"), "path_with_namespace", "project.path_with_namespace");
        var iid = RequiredLong(attributes, "iid", "object_attributes.iid");
        var action = String(attributes, "action");
        var state = RequiredString(attributes, "state", "object_attributes.state") switch
        {
            "merged" => "merged",
            "closed" => "closed",
            _ => "open", // opened, reopened, locked (a merge in progress)
        };
        var updated = Timestamp(attributes, "updated_at");
        var merged = state == "merged";
        var record = new PullRequestRecord
        {
            Provider = "gitlab",
            RepoSlug = repo,
            Number = iid,
            State = state,
            Title = String(attributes, "title"),
            // The payload names only the author's id; the acting user is the author when the MR is opened.
            Author = action == "open" && Optional(root, "user") is { } user ? String(user, "username") : null,
            Url = String(attributes, "url"),
            Body = String(attributes, "description"),
            HeadRef = String(attributes, "source_branch"),
            HeadSha = Optional(attributes, "last_commit") is { } last ? String(last, "id") : null,
            BaseRef = String(attributes, "target_branch"),
            MergeCommitSha = merged ? String(attributes, "merge_commit_sha") : null,
            // Older GitLab versions send merged_at null on the merge event itself: its updated_at is the merge time.
            MergedAt = merged ? Timestamp(attributes, "merged_at") ?? updated : null,
            CreatedAt = Timestamp(attributes, "created_at"),
            ClosedAt = state == "closed" ? Timestamp(attributes, "closed_at") ?? updated : null,
            SourceUpdatedAt = updated,
            RawJson = JsonText.Of(attributes),
        };
        return new ParsedDelivery(action, repo, new PullRequestEffect(record, []));
    }
}
