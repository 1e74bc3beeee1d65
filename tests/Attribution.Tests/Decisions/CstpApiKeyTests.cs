using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Decisions;

public sealed class CstpApiKeyFixture : AppFixture
{
    public const string Key = "cstp-test-key";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Attribution:Security:ApiKey"] = Key };
}

public sealed class CstpApiKeyTests(CstpApiKeyFixture fixture) : IClassFixture<CstpApiKeyFixture>
{
    private const string Query = """{"jsonrpc":"2.0","id":1,"method":"cstp.queryDecisions"}""";

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Cstp_ApiKeySetNoBearer_401ProblemDetails(string provider)
    {
        using var client = (await fixture.ForAsync(provider)).CreateClient();
        using var content = new StringContent(Query, Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/cstp", content);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Cstp_ApiKeySetWithBearer_Answers(string provider)
    {
        using var client = (await fixture.ForAsync(provider)).CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CstpApiKeyFixture.Key);

        var (status, body) = await CstpClient.PostAsync(client, Query);

        status.Should().Be(HttpStatusCode.OK);
        body.GetProperty("result").GetProperty("total").GetInt32().Should().Be(0);
    }
}
