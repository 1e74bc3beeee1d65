using System.Text.Json;
using Attribution.Store;
using static Attribution.Common.PayloadJson;
using static Attribution.Providers.RepoField;

namespace Attribution.Webhooks;

/// <summary>
/// GitHub <c>issue_comment</c> (on PRs only), <c>pull_request_review</c> and <c>pull_request_review_comment</c> →
/// <c>pr_feedback</c> for the artifact index.
/// </summary>
public static class GitHubFeedbackHandler
{
    public static ParsedDelivery Parse(string eventName, JsonElement root, string deliveryId)
    {
        var repo = GitHubRepo(root);
        var action = String(root, "action");
        if (action == "deleted")
        {
            return new ParsedDelivery(action, repo, new NoEffect("deletion: recorded as delivery only"));
        }

        var feedback = eventName switch
        {
            "issue_comment" => IssueComment(root, repo),
            "pull_request_review" => Review(root, repo),
            _ => ReviewComment(root, repo),
        };
        return feedback is null
            ? new ParsedDelivery(action, repo, new NoEffect("comment on an issue, not a pull request: recorded as delivery only"))
            : new ParsedDelivery(action, repo, new FeedbackEffect(feedback with { DeliveryId = deliveryId }, action == "edited"));
    }

    /// <summary>Null for a comment on an issue that is not a pull request.</summary>
    private static FeedbackRecord? IssueComment(JsonElement root, string repo)
    {
        var issue = RequiredObject(root, "issue", "issue");
        var comment = RequiredObject(root, "comment", "comment");
        var id = RequiredString(comment, "id", "comment.id");
        return Optional(issue, "pull_request") is null
            ? null
            : Item(comment, repo, "issue_comment", id, RequiredIssueNumber(issue, "number", "issue.number"), "created_at");
    }

    private static FeedbackRecord Review(JsonElement root, string repo)
    {
        var review = RequiredObject(root, "review", "review");
        var pr = RequiredObject(root, "pull_request", "pull_request");
        var id = RequiredString(review, "id", "review.id");
        return Item(review, repo, "review", id, RequiredIssueNumber(pr, "number", "pull_request.number"), "submitted_at") with
        {
            ReviewId = id,
            CommitSha = String(review, "commit_id"),
        };
    }

    private static FeedbackRecord ReviewComment(JsonElement root, string repo)
    {
        var comment = RequiredObject(root, "comment", "comment");
        var pr = RequiredObject(root, "pull_request", "pull_request");
        var id = RequiredString(comment, "id", "comment.id");
        return Item(comment, repo, "review_comment", id, RequiredIssueNumber(pr, "number", "pull_request.number"), "created_at") with
        {
            ReviewId = String(comment, "pull_request_review_id"),
            InReplyToId = String(comment, "in_reply_to_id"),
            Path = String(comment, "path"),
            Line = LineNumber(comment, "line") ?? LineNumber(comment, "original_line"),
            CommitSha = String(comment, "commit_id"),
        };
    }

    /// <summary>What a comment and a review give alike: the item's id and PR, its author (<c>user.login</c>), body and time.</summary>
    private static FeedbackRecord Item(JsonElement item, string repo, string kind, string id, long pr, string timeField) => new()
    {
        Provider = "github",
        RepoSlug = repo,
        Kind = kind,
        ExternalId = id,
        PrNumber = pr,
        Author = String(Optional(item, "user"), "login"),
        Body = String(item, "body"),
        CreatedAt = Timestamp(item, timeField),
    };
}
