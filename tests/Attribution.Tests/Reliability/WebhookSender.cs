using Attribution.Tests.Webhooks;

namespace Attribution.Tests.Reliability;

/// <summary>Sends a (possibly mutated) body to the receiver of its seed, validly signed for that receiver.</summary>
public static class WebhookSender
{
    public static Task<HttpResponseMessage> SendAsync(SignedWebhookClient client, WebhookSeed seed, byte[] body, string deliveryId) => seed.Receiver switch
    {
        "github" => client.GitHubAsync(seed.Event, body, deliveryId),
        "gitlab" => client.GitLabAsync(seed.Event, body, idempotencyKey: deliveryId),
        "ci-standard" => client.CiStandardAsync(body, deliveryId, DateTimeOffset.UtcNow),
        _ => client.CiHubAsync(body, deliveryId),
    };

    /// <summary>The receiver column of webhook_deliveries for a seed.</summary>
    public static string StoredReceiver(WebhookSeed seed) => seed.Receiver.StartsWith("ci", StringComparison.Ordinal) ? "ci" : seed.Receiver;
}
