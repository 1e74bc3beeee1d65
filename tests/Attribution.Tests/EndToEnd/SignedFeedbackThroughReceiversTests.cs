using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Attribution.Artifacts;
using Attribution.Tests.Artifacts;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Webhooks;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Attribution.Tests.EndToEnd;

/// <summary>
/// Signed review feedback arriving as real signed deliveries: the GitHub receiver stores it, the artifact sweeper
/// captures the valid metadata (and records why it refused forged metadata), and the resolution API answers.
/// </summary>
public sealed class SignedFeedbackThroughReceiversTests(SignedFeedbackThroughReceiversTests.App fixture)
    : IClassFixture<SignedFeedbackThroughReceiversTests.App>
{
    public sealed class App : AppFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(SignedWebhookClient.AllSecrets)
        {
            ["Attribution:Signing:Secret"] = ArtifactTestData.Secret,
            ["Attribution:Signing:InstanceId"] = ArtifactTestData.InstanceId,
            ["Attribution:Artifacts:SweepIntervalSeconds"] = "3600",
            ["Attribution:Artifacts:SweepSettleSeconds"] = "0",
        };
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SignedIssueComment_ThroughReceiver_IsCapturedAndResolvesToItsSession(string provider)
    {
        var app = await fixture.ForAsync(provider);
        using var http = app.CreateClient();
        var hooks = new SignedWebhookClient(http);
        var repo = ArtifactTestData.UniqueRepo("chhsia0/knative-route-demo");
        var session = "span-" + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = await app.Database.Connections.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("INSERT INTO sessions (session_id, agent, repo_slug, updated_ts) VALUES (@session, 'claude-code', @repo, '2026-11-01T00:00:00.0000000Z')", new { session, repo });
        }

        var signed = Comment(repo, 9001, "Looks good.\n\n" + ArtifactTestData.Marker(repo, 3, session));
        var forged = Comment(repo, 9002, "Me too.\n\n" + AttributionMarkers.CommentMarker(AttributionSigner.Create(new SigningKey("guess", ArtifactTestData.InstanceId), "default", repo, 3, session, "agent-x", "x")));
        var forgedDelivery = Guid.NewGuid().ToString();
        (await hooks.GitHubAsync("issue_comment", signed)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await hooks.GitHubAsync("issue_comment", forged, forgedDelivery)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await Eventually.CountAtLeastAsync(app.Database, "SELECT count(*) FROM pr_feedback WHERE repo_slug = @repo", new { repo }, expected: 2);

        await app.Services.GetRequiredService<ArtifactSweeper>().SweepOnceAsync(CancellationToken.None);

        var resolved = await http.GetFromJsonAsync<JsonElement>($"/api/attribution/artifact?repo={repo}&commentId=9001");
        resolved.GetProperty("sessionId").GetString().Should().Be(session);
        resolved.GetProperty("confidence").GetString().Should().Be("exact");
        var refused = await http.GetFromJsonAsync<JsonElement>($"/api/attribution/artifact?repo={repo}&commentId=9002");
        refused.GetProperty("sessionId").ValueKind.Should().Be(JsonValueKind.Null);
        await using var check = await app.Database.Connections.OpenAsync(CancellationToken.None);
        (await check.ExecuteScalarAsync<long>("SELECT count(*) FROM run_attribution_artifacts WHERE repo_slug = @repo", new { repo })).Should().Be(1);
        (await check.ExecuteScalarAsync<string>("SELECT reason FROM webhook_deliveries WHERE delivery_id = @forgedDelivery", new { forgedDelivery }))
            .Should().StartWith("attribution metadata rejected");
    }

    private static byte[] Comment(string repo, long id, string body)
    {
        var delivery = JsonNode.Parse(FixtureFiles.ReadFixture("github/issue_comment.created.on-pr.json"))!;
        delivery["repository"]!["full_name"] = repo;
        delivery["comment"]!["id"] = id;
        delivery["comment"]!["body"] = body;
        return Encoding.UTF8.GetBytes(delivery.ToJsonString());
    }
}
