using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Attribution.Hosting;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Attribution.Tests.Hosting;

/// <summary>
/// In the default mode (no API key) no web page can write to the service: the bodies a browser sends cross-site without a
/// preflight (<c>text/plain</c>, form-encoded, untyped) are refused, cross-site origins are refused on every
/// state-changing endpoint, and a request naming a host the server is not bound as (DNS rebinding) is refused.
/// </summary>
public sealed class BrowserGuardTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const string Evil = "https://evil.example";

    private static readonly string Transcript = File.ReadAllText(FixtureFiles.Fixture("sessions/claude-code/minimal-write-commit.jsonl"));

    private const string Decision = """{"jsonrpc":"2.0","id":1,"method":"cstp.recordDecision","params":{"decision":"forged","category":"architecture","stakes":"low","confidence":0.9}}""";

    public static TheoryData<string, string, string?, string?> Refused() => new()
    {
        // path, content type, Origin, Sec-Fetch-Site
        { "/api/sessions/import?agent=claude-code", "text/plain", Evil, null },
        { "/api/sessions/import?agent=claude-code", "application/x-www-form-urlencoded", Evil, null },
        { "/api/sessions/import?agent=claude-code", "multipart/form-data; boundary=x", Evil, null },
        { "/api/sessions/import?agent=claude-code", "text/plain", null, null },
        { "/api/sessions/import?agent=claude-code", "application/x-www-form-urlencoded", null, null },
        { "/api/sessions/import?agent=claude-code", "application/x-ndjson", Evil, null },
        { "/api/sessions/import?agent=claude-code", "application/x-ndjson", "null", null },
        { "/api/sessions/import?agent=claude-code", "application/x-ndjson", null, "cross-site" },
        { "/cstp", "text/plain", Evil, null },
        { "/cstp", "application/x-www-form-urlencoded", Evil, null },
        { "/cstp", "text/plain", null, null },
        { "/cstp", "application/json", Evil, null },
        { "/cstp", "application/json", "http://localhost.evil.example", null },
        { "/cstp", "application/json", null, "same-site" },
        { "/mcp", "text/plain", Evil, null },
        { "/mcp", "application/json", Evil, null },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task StateChangingRequest_FromAnotherSiteOrWithABrowserSimpleBody_RefusedAndNothingStored(string path, string contentType, string? origin, string? fetchSite)
    {
        var app = await fixture.ForAsync(TestProviders.Sqlite);
        using var client = app.CreateClient();

        using var response = await client.SendAsync(Post(path, contentType, origin, fetchSite));

        response.StatusCode.Should().BeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.UnsupportedMediaType);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await app.Services.GetRequiredService<SessionStore>().GetSessionAsync("test-session-id", CancellationToken.None)).Should().BeNull();
        await using var c = await app.Database.Connections.OpenAsync(CancellationToken.None);
        (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM decisions")).Should().Be(0);
    }

    [Theory]
    [InlineData("/api/sessions/import?agent=claude-code", "application/x-ndjson", null)]
    [InlineData("/api/sessions/import?agent=claude-code", "application/json; charset=utf-8", "http://localhost")]
    [InlineData("/cstp", "application/json", null)]
    [InlineData("/cstp", "application/json", "http://localhost")]
    public async Task JsonFromAClientOrThisSite_Accepted(string path, string contentType, string? origin)
    {
        var app = await fixture.ForAsync(TestProviders.Sqlite);
        using var client = app.CreateClient();

        using var response = await client.SendAsync(Post(path, contentType, origin, origin is null ? null : "same-origin", forge: false));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Webhooks_ServerToServer_NotSubjectToTheBrowserRules()
    {
        var app = await fixture.ForAsync(TestProviders.Sqlite);
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/ci") { Content = new StringContent("{}", Encoding.UTF8, "text/plain") };
        request.Headers.Add("Origin", Evil);

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().NotBe(HttpStatusCode.Forbidden).And.NotBe(HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:5080")]
    [InlineData("127.0.0.1.nip.io")]
    public async Task RequestNamingAnotherHost_DnsRebinding_Refused(string host)
    {
        var app = await fixture.ForAsync(TestProviders.Sqlite);
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/attribution/sessions");
        request.Headers.Host = host;

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:5080")]
    [InlineData("[::1]:5080")]
    public async Task RequestNamingTheLoopbackHost_Served(string host)
    {
        var app = await fixture.ForAsync(TestProviders.Sqlite);
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Host = host;

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", "localhost;127.0.0.1;[::1]")]
    [InlineData("http://localhost:5080;https://[::1]:5443", "localhost;127.0.0.1;[::1]")]
    [InlineData("http://attribution.internal:8080/", "attribution.internal")]
    public void AllowedHostsDefault_FollowsTheBoundAddresses(string urls, string expected) =>
        AllowedHostsDefault.For(urls).Should().Be(expected);

    [Theory]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://*:5080")]
    [InlineData("http://[::]:5080")]
    public void AllowedHostsDefault_EveryInterface_LoopbackAndThisMachinesNames(string urls)
    {
        var hosts = AllowedHostsDefault.For(urls).Split(';');

        hosts.Should().Contain(["localhost", "127.0.0.1", "[::1]", System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties().HostName.ToLowerInvariant()]);
        hosts.Should().NotContain("*");
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/providers")]
    [InlineData("/commits/0000000")]
    public async Task DashboardPages_SendSecurityHeaders(string path)
    {
        var app = await fixture.ForAsync(TestProviders.Sqlite);
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        response.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
        response.Headers.GetValues("X-Frame-Options").Should().Equal("DENY");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("frame-ancestors 'none'");
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
    }

    /// <summary>A POST; <paramref name="forge"/> sends what the refused tests check is never stored, otherwise harmless bodies.</summary>
    private static HttpRequestMessage Post(string path, string contentType, string? origin, string? fetchSite, bool forge = true)
    {
        var rpc = path.StartsWith("/cstp", StringComparison.Ordinal) || path.StartsWith("/mcp", StringComparison.Ordinal);
        var body = (rpc, forge) switch
        {
            (true, true) => Decision,
            (true, false) => """{"jsonrpc":"2.0","id":1,"method":"cstp.queryDecisions","params":{}}""",
            (false, true) => Transcript,
            (false, false) => File.ReadAllText(FixtureFiles.Fixture("sessions/claude-code/gitai-thinking-edit.jsonl")),
        };
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        return request;
    }
}
