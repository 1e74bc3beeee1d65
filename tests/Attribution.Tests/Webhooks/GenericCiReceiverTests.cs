using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Webhooks;

public sealed class GenericCiReceiverTests(WebhookAppFixture fixture) : IClassFixture<WebhookAppFixture>
{
    private static byte[] Body(string repo, string runId, string status = "success", string sha = "0123456789abcdef0123456789abcdef01234567") => Encoding.UTF8.GetBytes(
        $$"""{"provider":"circleci","repo":"{{repo}}","runId":"{{runId}}","commitSha":"{{sha}}","status":"{{status}}","workflowName":"build","startedAt":"2026-11-20T10:00:00Z","completedAt":"2026-11-20T10:05:00Z","url":"https://ci.example/run/{{runId}}"}""");

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task StandardWebhooks_StoresTheRun(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo("ci");
        var runId = Guid.NewGuid().ToString("N");
        var id = "msg_" + Guid.NewGuid().ToString("N");

        using var response = await t.Client.CiStandardAsync(Body(repo, runId), id, DateTimeOffset.UtcNow);

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        answer["delivery"]!.GetValue<string>().Should().Be(id);
        answer["event"]!.GetValue<string>().Should().Be("ci_run");
        await t.Db.ProcessedAsync("ci", id);
        var run = (await t.CiRunsAsync(repo)).Should().ContainSingle().Subject;
        run.Provider.Should().Be("circleci");
        run.RunId.Should().Be(runId);
        run.CommitSha.Should().Be("0123456789abcdef0123456789abcdef01234567");
        run.Status.Should().Be("success");
        run.WorkflowName.Should().Be("build");
        run.StartedTs.Should().Be("2026-11-20T10:00:00.0000000Z");
        run.CompletedTs.Should().Be("2026-11-20T10:05:00.0000000Z");
        run.Url.Should().Be($"https://ci.example/run/{runId}");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task RunNumberedPerProject_TwoRepositoriesKeepTheirOwnRun(string provider)
    {
        // A generic CI numbers its runs per project (Jenkins build 42 of two jobs): one repository's run 42 must not take
        // over the other's (ci_runs was unique on provider and run id alone).
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var (first, second) = (Payloads.UniqueRepo("ci-a"), Payloads.UniqueRepo("ci-b"));
        var runId = "42-" + Guid.NewGuid().ToString("N")[..8];
        var deliveries = new[] { (first, "failure"), (second, "success"), (first, "success") };
        foreach (var (repo, status) in deliveries)
        {
            var id = "msg_" + Guid.NewGuid().ToString("N");
            using var response = await t.Client.CiStandardAsync(Body(repo, runId, status), id, DateTimeOffset.UtcNow);
            response.StatusCode.Should().Be(HttpStatusCode.Accepted);
            await t.Db.ProcessedAsync("ci", id);
        }

        (await t.CiRunsAsync(first)).Should().ContainSingle().Which.Status.Should().Be("success", "the first repository's own later delivery updated its run");
        (await t.CiRunsAsync(second)).Should().ContainSingle().Which.Status.Should().Be("success");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task StandardWebhooks_SeveralSignatures_OneValidIsEnough(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var body = Body(Payloads.UniqueRepo("ci"), Guid.NewGuid().ToString("N"));
        var id = "msg_" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow;
        var valid = SignedWebhookClient.StandardSignature(SignedWebhookClient.CiSecret, id, now.ToUnixTimeSeconds(), body);

        using var response = await t.Client.CiStandardAsync(body, id, now, $"v1,{Convert.ToBase64String(new byte[32])} {valid}");

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task HubSignature_WithWebhookId_StoresTheRun(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo("ci");
        var id = Guid.NewGuid().ToString();

        using var response = await t.Client.CiHubAsync(Body(repo, "42", "failure"), id);

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        await t.Db.ProcessedAsync("ci", id);
        (await t.CiRunsAsync(repo)).Should().ContainSingle().Which.Status.Should().Be("failure");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task HubSignature_WithoutId_DedupesByBodyHash(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var body = Body(Payloads.UniqueRepo("ci"), "7");

        using var first = await t.Client.CiHubAsync(body);
        using var second = await t.Client.CiHubAsync(body);

        first.StatusCode.Should().Be(HttpStatusCode.Accepted);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task StaleOrFutureTimestamp_Is403AndWritesNothing(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo("ci");

        using var stale = await t.Client.CiStandardAsync(Body(repo, "1"), "msg_stale_" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow.AddMinutes(-6));
        using var future = await t.Client.CiStandardAsync(Body(repo, "1"), "msg_future_" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow.AddMinutes(6));

        stale.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        future.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        stale.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await t.Db.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE repo_slug = @repo", new { repo })).Should().Be(0);
        (await t.CiRunsAsync(repo)).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task FieldErrors_Are400ValidationProblemPerField(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var body = Encoding.UTF8.GetBytes("""{"provider":"circleci","repo":"not a repo","commitSha":"abc","status":"green"}""");

        using var response = await t.Client.CiStandardAsync(body, "msg_" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        errors.Select(e => e.Key).Should().BeEquivalentTo("repo", "runId", "commitSha", "status");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task WrongOrMissingSignature_Is403AndWritesNothing(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo("ci");
        var body = Body(repo, "9");
        var id = "msg_" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow;
        var otherSecret = SignedWebhookClient.StandardSignature("whsec_b3RoZXI=", id, now.ToUnixTimeSeconds(), body);
        using var unsigned = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/ci") { Content = new ByteArrayContent(body) };

        using var wrong = await t.Client.CiStandardAsync(body, id, now, otherSecret);
        using var missing = await t.Client.Http.SendAsync(unsigned);

        wrong.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        missing.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await t.CiRunsAsync(repo)).Should().BeEmpty();
        (await t.Db.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE delivery_id = @id", new { id })).Should().Be(0);
    }
}
