using System.Text.Json;
using Attribution.Common;
using Attribution.Store;
using static Attribution.Common.PayloadJson;

namespace Attribution.Providers.GitLab;

/// <summary>
/// GitLab merge requests → <see cref="PullRequestRow"/> (provider <c>gitlab</c>, number = <c>iid</c>), from a
/// <c>Merge Request Hook</c>'s <c>object_attributes</c> and from an item of <c>GET /projects/:id/merge_requests</c>.
/// The two shapes name some fields differently; the rules (state, merge time, close time) are applied once.
/// </summary>
public static class GitLabMergeRequests
{
    public const string Provider = "gitlab";

    /// <summary>A <c>Merge Request Hook</c>: its <c>object_attributes</c> and the acting <c>user</c>.</summary>
    public static PullRequestRow FromHook(JsonElement attributes, JsonElement? user, string projectPath) => Build(attributes, projectPath,
        iid: RequiredIssueNumber(attributes, "iid", "object_attributes.iid"),
        state: RequiredString(attributes, "state", "object_attributes.state"),
        // The payload names only the author's id; the acting user is the author when the MR is opened.
        author: String(attributes, "action") == "open" ? String(user, "username") : null,
        url: String(attributes, "url"),
        headSha: String(Optional(attributes, "last_commit"), "id"));

    /// <summary>An item of <c>GET /projects/:id/merge_requests</c>.</summary>
    public static PullRequestRow FromApi(JsonElement mr, string projectPath) => Build(mr, projectPath,
        iid: RequiredIssueNumber(mr, "iid", "merge_requests[].iid"),
        state: String(mr, "state"),
        author: String(Optional(mr, "author"), "username"),
        url: String(mr, "web_url"),
        headSha: String(mr, "sha"));

    private static PullRequestRow Build(JsonElement mr, string projectPath, long iid, string? state, string? author, string? url, string? headSha)
    {
        var normalised = state switch
        {
            "merged" => "merged",
            "closed" => "closed",
            _ => "open", // opened, reopened, locked (a merge in progress)
        };
        var updated = Timestamp(mr, "updated_at");
        var merged = normalised == "merged";
        return new PullRequestRow
        {
            Provider = Provider,
            RepoSlug = RepoSlug.Normalize(projectPath),
            PrNumber = iid,
            State = normalised,
            Title = String(mr, "title"),
            Author = author,
            Url = url,
            Body = String(mr, "description"),
            HeadRef = String(mr, "source_branch"),
            HeadSha = headSha,
            BaseRef = String(mr, "target_branch"),
            MergeCommitSha = merged ? String(mr, "merge_commit_sha") ?? String(mr, "squash_commit_sha") : null,
            // Older GitLab versions send merged_at null on the merge event itself: its updated_at is the merge time.
            MergedAt = merged ? Timestamp(mr, "merged_at") ?? updated : null,
            CreatedAt = Timestamp(mr, "created_at"),
            ClosedAt = normalised == "closed" ? Timestamp(mr, "closed_at") ?? updated : null,
            SourceUpdatedAt = updated,
            RawJson = JsonText.Of(mr),
        };
    }

    /// <summary>An item of <c>GET /merge_requests/:iid/commits</c>.</summary>
    public static CommitRecord Commit(JsonElement commit, string projectPath) => ApiCommits.Of(projectPath,
        RequiredString(commit, "id", "commits[].id"), Strings(commit, "parent_ids"),
        new(String(commit, "author_name"), String(commit, "author_email"), Timestamp(commit, "authored_date")),
        new(String(commit, "committer_name"), String(commit, "committer_email"), Timestamp(commit, "committed_date")),
        String(commit, "message"));
}
