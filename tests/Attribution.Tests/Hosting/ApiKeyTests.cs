using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Hosting;

public sealed class ApiKeyTests(ApiKeyTests.KeyedApp fixture) : IClassFixture<ApiKeyTests.KeyedApp>
{
    private const string Key = "s3cret-key";

    public sealed class KeyedApp : AppFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Attribution:Security:ApiKey"] = Key };
    }

    [Theory]
    [InlineData("/api/anything")]
    [InlineData("/cstp")]
    [InlineData("/mcp")]
    public async Task ApiRoute_WithoutBearer_Is401ProblemDetails(string path)
    {
        var app = await fixture.ForAsync(TestProviders.Sqlite);
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        response.Headers.WwwAuthenticate.ToString().Should().Contain("Bearer");
    }

    [Fact]
    public async Task ApiRoute_WithWrongBearer_Is401()
    {
        var app = await fixture.ForAsync(TestProviders.Sqlite);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key + "x");

        using var response = await client.GetAsync("/api/anything");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ApiRoute_WithBearer_PassesToRouting()
    {
        var app = await fixture.ForAsync(TestProviders.Sqlite);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        using var response = await client.GetAsync("/api/anything");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Page_WithoutBasic_Is401WithBasicChallenge()
    {
        var app = await fixture.ForAsync(TestProviders.Sqlite);
        using var client = app.CreateClient(new() { AllowAutoRedirect = false });

        using var response = await client.GetAsync("/yield");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().StartWith("Basic");
    }

    [Fact]
    public async Task Page_WithBasicKeyAsPassword_IsServed()
    {
        var app = await fixture.ForAsync(TestProviders.Sqlite);
        using var client = app.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("anyone:" + Key)));

        using var response = await client.GetAsync("/");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
    }

    [Theory]
    [InlineData("/healthz", HttpStatusCode.OK)]
    [InlineData("/metrics", HttpStatusCode.OK)]
    [InlineData("/openapi/v1.json", HttpStatusCode.OK)]
    public async Task OperationalRoutes_StayOpen(string path, HttpStatusCode expected)
    {
        var app = await fixture.ForAsync(TestProviders.Sqlite);
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        response.StatusCode.Should().Be(expected);
    }

    [Fact]
    public async Task WebhookRoute_IsNotGuardedByTheApiKey()
    {
        var app = await fixture.ForAsync(TestProviders.Sqlite);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/api/webhooks/github", new StringContent("{}"));

        response.StatusCode.Should().NotBe(HttpStatusCode.Unauthorized);
    }
}
