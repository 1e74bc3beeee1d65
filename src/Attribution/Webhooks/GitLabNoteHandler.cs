using System.Text.Json;
using Attribution.Store;
using static Attribution.Common.PayloadJson;
using static Attribution.Providers.RepoField;

namespace Attribution.Webhooks;

/// <summary>
/// GitLab <c>Note Hook</c> on merge requests → <c>pr_feedback</c> (kind <c>note</c>). GitLab has no parent comment id:
/// <c>in_reply_to_id</c> holds the note's <c>discussion_id</c> (its thread). Notes on commits, issues or snippets are deliveries only.
/// </summary>
public static class GitLabNoteHandler
{
    public static ParsedDelivery Parse(JsonElement root, string deliveryId)
    {
        var attributes = RequiredObject(root, "object_attributes", "object_attributes");
        var repo = GitLabRepo(root);
        var id = RequiredString(attributes, "id", "object_attributes.id");
        var action = String(attributes, "action");
        var noteable = String(attributes, "noteable_type");
        if (noteable != "MergeRequest")
        {
            return new ParsedDelivery(action, repo, new NoEffect($"note on {noteable ?? "unknown"}, not a merge request: recorded as delivery only"));
        }

        var mergeRequest = RequiredObject(root, "merge_request", "merge_request");
        var position = Optional(attributes, "position");
        var commit = String(attributes, "commit_id");
        return new ParsedDelivery(action, repo, new FeedbackEffect(new FeedbackRecord
        {
            Provider = "gitlab",
            RepoSlug = repo,
            Kind = "note",
            ExternalId = id,
            PrNumber = RequiredIssueNumber(mergeRequest, "iid", "merge_request.iid"),
            InReplyToId = String(attributes, "discussion_id"),
            Path = position is { } p ? String(p, "new_path") ?? String(p, "old_path") : null,
            Line = position is { } l ? LineNumber(l, "new_line") ?? LineNumber(l, "old_line") : null,
            CommitSha = string.IsNullOrEmpty(commit) ? (position is { } h ? String(h, "head_sha") : null) : commit,
            Author = Optional(root, "user") is { } user ? String(user, "username") : null,
            Body = String(attributes, "note"),
            CreatedAt = Timestamp(attributes, "created_at"),
            DeliveryId = deliveryId,
        }, action == "update"));
    }
}
