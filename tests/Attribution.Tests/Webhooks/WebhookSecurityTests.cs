using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Webhooks;

public sealed class WebhookSecurityTests(WebhookAppFixture fixture) : IClassFixture<WebhookAppFixture>
{
    private const long Limit = 25L * 1024 * 1024;

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task MissingSignature_Is403AndWritesNothing(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();

        using var response = await t.Client.GitHubAsync("pull_request", Payloads.GitHub("github/pull_request.opened.json", repo), sign: false);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await t.Db.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE repo_slug = @repo", new { repo })).Should().Be(0);
        (await t.Prs.GetAsync("github", repo, 2, CancellationToken.None)).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task WrongSignature_Is403AndWritesNothing(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();
        var body = Payloads.GitHub("github/pull_request.opened.json", repo);

        using var wrongSecret = await t.Client.GitHubAsync("pull_request", body, signature: SignedWebhookClient.HubSignature("other-secret", body));
        using var garbage = await t.Client.GitHubAsync("pull_request", body, signature: "sha256=zz");
        using var sha1 = await t.Client.GitHubAsync("pull_request", body, signature: "sha1=0123456789012345678901234567890123456789");

        wrongSecret.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        garbage.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        sha1.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await t.Db.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE repo_slug = @repo", new { repo })).Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SignatureOfAnotherBody_Is403(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var body = Payloads.GitHub("github/pull_request.opened.json", Payloads.UniqueRepo());
        var tampered = Payloads.GitHub("github/pull_request.opened.json", Payloads.UniqueRepo());

        using var response = await t.Client.GitHubAsync("pull_request", tampered, signature: SignedWebhookClient.HubSignature(SignedWebhookClient.GitHubSecret, body));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SignedNonJson_Is400ProblemAndWritesNothing(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var before = await t.Db.CountAsync("SELECT count(*) FROM webhook_deliveries");

        using var response = await t.Client.GitHubAsync("pull_request", Encoding.UTF8.GetBytes("this is not json {"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await t.Db.CountAsync("SELECT count(*) FROM webhook_deliveries")).Should().Be(before);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SignedJsonOfWrongShape_Is400NamingTheFieldAndWritesNothing(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();
        var body = Payloads.GitHub("github/pull_request.opened.json", repo, node => node.Remove("pull_request"));
        var pushBody = Payloads.GitHub("github/push.branch-created.json", repo, node => node["commits"]![0]!["id"] = "not-a-sha");

        using var response = await t.Client.GitHubAsync("pull_request", body);
        using var push = await t.Client.GitHubAsync("push", pushBody);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject().Select(e => e.Key).Should().Equal("pull_request");
        push.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await push.Content.ReadAsStringAsync()).Should().Contain("commits[0].id");
        (await t.Db.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE repo_slug = @repo", new { repo })).Should().Be(0);
        (await t.CommitsAsync(repo)).Should().BeEmpty("a push with one bad commit stores none of its commits");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task HostileRepositoryName_Is400(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);

        using var response = await t.Client.GitHubAsync("pull_request", Payloads.GitHub("github/pull_request.opened.json", "../../etc/passwd"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("repository.full_name");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task JsonArray_Is400(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);

        using var response = await t.Client.GitHubAsync("ping", "[1,2,3]"u8.ToArray());

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task MissingEventHeader_Is400(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);

        using var response = await t.Client.GitHubAsync("", Payloads.Raw("github/ping.json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadAsStringAsync()).Should().Contain("X-GitHub-Event");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task BodyOver25MiB_Is413(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var body = new byte[Limit + 1];

        using var response = await t.Client.GitHubAsync("ping", body);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ChunkedBodyOver25MiB_Is413(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var stream = new EndlessStream(Limit * 4);
        var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/github") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("X-GitHub-Event", "ping");
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + new string('0', 64));

        using var response = await t.Client.Http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SameDeliveryTenTimesConcurrently_HasExactlyOneEffect(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();
        var body = Payloads.GitHub("github/push.branch-created.json", repo);
        var id = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => t.Client.GitHubAsync("push", body, id)));

        responses.Count(r => r.StatusCode == HttpStatusCode.Accepted).Should().Be(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(9);
        foreach (var response in responses)
        {
            response.Dispose();
        }

        await t.Db.ProcessedAsync("github", id);
        (await t.Db.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE delivery_id = @id", new { id })).Should().Be(1);
        (await t.CommitsAsync(repo)).Should().ContainSingle();
        (await t.Db.CountAsync("SELECT count(*) FROM commit_refs WHERE repo_slug = @repo", new { repo })).Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Metrics_CountDeliveriesByReceiverAndOutcome(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        using (await t.Client.GitHubAsync("ping", Payloads.Raw("github/ping.json"), sign: false))
        {
        }

        var metrics = await t.Client.Http.GetStringAsync("/metrics");

        metrics.Should().Contain("attribution_webhook_deliveries_total{receiver=\"github\",outcome=\"rejected_signature\"}");
    }

    /// <summary>A body of zeros served in small chunks, counting what was read.</summary>
    internal sealed class EndlessStream(long length) : Stream
    {
        public long Served { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Served; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(Math.Min(count, 64 * 1024), length - Served);
            Array.Clear(buffer, offset, n);
            Served += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
