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
        var repo = RequiredRepo(RequiredObject(root, "repository", "repository"), "full_name", "repository.full_name");
        var action = String(root, "action");
        if (action == "deleted")
        {
            return new ParsedDelivery(action, repo, new NoEffect("deletion: recorded as delivery only"));
        }

        var edited = action == "edited";
        switch (eventName)
        {
            case "issue_comment":
            {
                var issue = RequiredObject(root, "issue", "issue");
                var comment = RequiredObject(root, "comment", "comment");
                var id = RequiredString(comment, "id", "comment.id");
                if (Optional(issue, "pull_request") is null)
                {
                    return new ParsedDelivery(action, repo, new NoEffect("comment on an issue, not a pull request: recorded as delivery only"));
                }

                return new ParsedDelivery(action, repo, new FeedbackEffect(new FeedbackRecord
                {
                    Provider = "github",
                    RepoSlug = repo,
                    Kind = "issue_comment",
                    ExternalId = id,
                    PrNumber = RequiredLong(issue, "number", "issue.number"),
                    Author = Login(comment),
                    Body = String(comment, "body"),
                    CreatedAt = Timestamp(comment, "created_at"),
                    DeliveryId = deliveryId,
                }, edited));
            }

            case "pull_request_review":
            {
                var review = RequiredObject(root, "review", "review");
                var pr = RequiredObject(root, "pull_request", "pull_request");
                var id = RequiredString(review, "id", "review.id");
                return new ParsedDelivery(action, repo, new FeedbackEffect(new FeedbackRecord
                {
                    Provider = "github",
                    RepoSlug = repo,
                    Kind = "review",
                    ExternalId = id,
                    PrNumber = RequiredLong(pr, "number", "pull_request.number"),
                    ReviewId = id,
                    CommitSha = String(review, "commit_id"),
                    Author = Login(review),
                    Body = String(review, "body"),
                    CreatedAt = Timestamp(review, "submitted_at"),
                    DeliveryId = deliveryId,
                }, edited));
            }

            default:
            {
                var comment = RequiredObject(root, "comment", "comment");
                var pr = RequiredObject(root, "pull_request", "pull_request");
                return new ParsedDelivery(action, repo, new FeedbackEffect(new FeedbackRecord
                {
                    Provider = "github",
                    RepoSlug = repo,
                    Kind = "review_comment",
                    ExternalId = RequiredString(comment, "id", "comment.id"),
                    PrNumber = RequiredLong(pr, "number", "pull_request.number"),
                    ReviewId = String(comment, "pull_request_review_id"),
                    InReplyToId = String(comment, "in_reply_to_id"),
                    Path = String(comment, "path"),
                    Line = Long(comment, "line") ?? Long(comment, "original_line"),
                    CommitSha = String(comment, "commit_id"),
                    Author = Login(comment),
                    Body = String(comment, "body"),
                    CreatedAt = Timestamp(comment, "created_at"),
                    DeliveryId = deliveryId,
                }, edited));
            }
        }
    }

    private static string? Login(JsonElement element) => Optional(element, "user") is { } user ? String(user, "login") : null;
}
