using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Webhooks;

/// <summary>A host per provider with all three receiver secrets set.</summary>
public sealed class WebhookAppFixture : AppFixture
{
    protected override IDictionary<string, string?> Settings => SignedWebhookClient.AllSecrets;
}
