using System.Net;
using Attribution.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Attribution.Tests.Webhooks;

public sealed class WebhookLoggingTests(WebhookAppFixture fixture) : IClassFixture<WebhookAppFixture>
{
    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SecretsAndSignatures_NeverAppearInLogs(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var collector = new CollectingLoggerProvider();
        await using var logged = app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddSingleton<ILoggerFactory>(_ => LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(collector)))));
        var client = new SignedWebhookClient(logged.CreateClient());
        var body = Payloads.GitHub("github/pull_request.opened.json", Payloads.UniqueRepo());
        var signature = SignedWebhookClient.HubSignature(SignedWebhookClient.GitHubSecret, body);

        using var accepted = await client.GitHubAsync("pull_request", body, signature: signature);
        using var rejected = await client.GitHubAsync("pull_request", body, signature: SignedWebhookClient.HubSignature("guessed-secret-123", body));
        using var wrongToken = await client.GitLabAsync("Push Hook", Payloads.Raw("gitlab/push.branch.json"), token: "leaked-token-456");
        using var gitlab = await client.GitLabAsync("Push Hook", Payloads.Raw("gitlab/push.branch.json"));
        using var ci = await client.CiHubAsync("{\"provider\":\"x\"}"u8.ToArray());

        accepted.StatusCode.Should().Be(HttpStatusCode.Accepted);
        rejected.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        collector.Lines.Should().Contain(l => l.EventId.Id == 4002, "the rejection itself is logged");
        collector.Lines.Should().Contain(l => l.EventId.Id == 4003);
        var everything = string.Join("\n", collector.Lines.Select(l => l.Text));
        foreach (var secret in new[]
        {
            SignedWebhookClient.GitHubSecret, SignedWebhookClient.GitLabToken, SignedWebhookClient.CiSecret, "guessed-secret-123", "leaked-token-456", signature[7..],
            "This is a pretty simple change",
        })
        {
            everything.Should().NotContain(secret);
        }
    }
}
