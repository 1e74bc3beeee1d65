using Attribution.Common;
using System.Text.Json;
using static Attribution.Common.PayloadJson;

namespace Attribution.Webhooks;

/// <summary>
/// Routes an authenticated payload to the handler of its event family; anything else is a delivery only.
/// Pure: the same body always gives the same effect, so the request path validates with it and the inbox
/// processor applies it later from the stored body.
/// </summary>
public static class WebhookDispatcher
{
    public const string GitHub = "github";
    public const string GitLab = "gitlab";
    public const string Ci = "ci";

    /// <exception cref="PayloadShapeException">The payload lacks what its event needs.</exception>
    public static ParsedDelivery Parse(string receiver, string eventName, JsonElement root, string deliveryId)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new PayloadShapeException("$", "The payload must be a JSON object.");
        }

        return receiver switch
        {
            GitHub => eventName switch
            {
                "pull_request" => GitHubPullRequestHandler.Parse(root),
                "push" => GitHubPushHandler.Parse(root),
                "check_run" or "check_suite" or "workflow_run" or "workflow_job" or "status" => GitHubCiHandler.Parse(eventName, root),
                "issue_comment" or "pull_request_review" or "pull_request_review_comment" => GitHubFeedbackHandler.Parse(eventName, root, deliveryId),
                _ => NoOp(eventName, String(root, "action"), Optional(root, "repository") is { } r ? String(r, "full_name") : null),
            },
            GitLab => eventName switch
            {
                "Merge Request Hook" => GitLabMergeRequestHandler.Parse(root),
                "Push Hook" => GitLabPushHandler.Parse(root),
                "Pipeline Hook" or "Job Hook" or "Build Hook" => GitLabCiHandler.Parse(root),
                "Note Hook" => GitLabNoteHandler.Parse(root, deliveryId),
                _ => NoOp(eventName, Optional(root, "object_attributes") is { } a ? String(a, "action") : null,
                    Optional(root, "project") is { } p ? String(p, "path_with_namespace") : null),
            },
            _ => GenericCiHandler.Parse(root),
        };
    }

    private static ParsedDelivery NoOp(string eventName, string? action, string? repo) =>
        new(action, Common.RepoSlug.IsValid(repo) ? repo : null, new NoEffect(eventName == "ping" ? "ping" : $"event '{eventName}' is not handled: recorded as delivery only"));
}
