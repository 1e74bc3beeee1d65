using System.Net;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Webhooks;

/// <summary>A host without any receiver secret.</summary>
public sealed class UnconfiguredReceiverTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SecretUnset_EveryReceiverIs503AndWritesNothing(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var client = new SignedWebhookClient(app.CreateClient());
        var db = new WebhookDb(app.Database.Connections);

        using var github = await client.GitHubAsync("ping", Payloads.Raw("github/ping.json"));
        using var gitlab = await client.GitLabAsync("Push Hook", Payloads.Raw("gitlab/push.branch.json"));
        using var ci = await client.CiHubAsync("{}"u8.ToArray());

        github.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        gitlab.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        ci.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        github.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await github.Content.ReadAsStringAsync()).Should().Contain("ATTRIBUTION_GITHUB_WEBHOOK_SECRET");
        (await db.TotalRowsAsync()).Should().Be(0);
    }
}
