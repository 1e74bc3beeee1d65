using System.Net;
using System.Text;
using System.Text.Json;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Decisions;

public sealed class CstpEndpointTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const string Record = """{"jsonrpc":"2.0","id":1,"method":"cstp.recordDecision","params":{"summary":"Use a queue","confidence":0.8}}""";

    private async Task<HttpClient> ClientAsync(string provider) => (await fixture.ForAsync(provider)).CreateClient();

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Cstp_InvalidJson_ParseError(string provider)
    {
        using var client = await ClientAsync(provider);

        var (status, body) = await CstpClient.PostAsync(client, """{"jsonrpc":"2.0","id":1,"method":""");

        status.Should().Be(HttpStatusCode.OK);
        body.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32700);
        body.GetProperty("id").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Cstp_UnknownMethod_MethodNotFoundWithId(string provider)
    {
        using var client = await ClientAsync(provider);

        var (status, body) = await CstpClient.PostAsync(client, """{"jsonrpc":"2.0","id":"q-7","method":"cstp.noSuchThing","params":{}}""");

        status.Should().Be(HttpStatusCode.OK);
        body.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32601);
        body.GetProperty("id").GetString().Should().Be("q-7");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Cstp_ConfidenceOutOfRange_InvalidParamsNamingField(string provider)
    {
        using var client = await ClientAsync(provider);

        var (_, body) = await CstpClient.PostAsync(client,
            """{"jsonrpc":"2.0","id":2,"method":"cstp.recordDecision","params":{"summary":"x","confidence":1.5}}""");

        var error = body.GetProperty("error");
        error.GetProperty("code").GetInt32().Should().Be(-32602);
        error.GetProperty("message").GetString().Should().Contain("'confidence'");
        error.GetProperty("data").GetProperty("field").GetString().Should().Be("confidence");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Cstp_WrongTypes_InvalidParams(string provider)
    {
        using var client = await ClientAsync(provider);
        string[] calls =
        [
            """{"jsonrpc":"2.0","id":1,"method":"cstp.recordDecision","params":{"summary":42,"confidence":0.5}}""",
            """{"jsonrpc":"2.0","id":1,"method":"cstp.recordDecision","params":{"summary":"x","confidence":"high"}}""",
            """{"jsonrpc":"2.0","id":1,"method":"cstp.recordDecision","params":{"summary":"x","confidence":0.5,"pr":{"n":1}}}""",
            """{"jsonrpc":"2.0","id":1,"method":"cstp.recordDecision","params":{"summary":"x","confidence":0.5,"commit":"not-a-sha"}}""",
            """{"jsonrpc":"2.0","id":1,"method":"cstp.queryDecisions","params":{"filters":"project"}}""",
            """{"jsonrpc":"2.0","id":1,"method":"cstp.getCalibration","params":{"groupBy":"planet"}}""",
            """{"jsonrpc":"2.0","id":1,"method":"cstp.reviewDecision","params":{"id":"00000000","outcome":"great"}}""",
            """{"jsonrpc":"2.0","id":1,"method":"cstp.attributeOutcomes","params":{"project":"acme/shop","dryRun":"yes"}}""",
            """{"jsonrpc":"2.0","id":1,"method":"cstp.reportBug","params":{"project":"acme/shop"}}""",
            """{"jsonrpc":"2.0","id":1,"method":"cstp.recordDecision","params":[0.5, "x"]}""",
        ];

        foreach (var call in calls)
        {
            var (status, body) = await CstpClient.PostAsync(client, call);

            status.Should().Be(HttpStatusCode.OK, call);
            body.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32602, call);
        }
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Cstp_BatchMixingGoodAndBad_AnsweredElementByElement(string provider)
    {
        using var client = await ClientAsync(provider);
        const string batch = """
            [
              {"jsonrpc":"2.0","id":1,"method":"cstp.recordDecision","params":{"summary":"Cache the token","confidence":0.7}},
              {"jsonrpc":"2.0","id":2,"method":"cstp.fly"},
              {"jsonrpc":"2.0","method":"cstp.recordDecision","params":{"summary":"notification","confidence":0.5}},
              42,
              {"jsonrpc":"1.0","id":5,"method":"cstp.queryDecisions"},
              {"jsonrpc":"2.0","id":6,"method":"cstp.recordDecision","params":{"summary":"x","confidence":"high"}}
            ]
            """;

        var (status, body) = await CstpClient.PostAsync(client, batch);

        status.Should().Be(HttpStatusCode.OK);
        var answers = body.EnumerateArray().ToList();
        answers.Should().HaveCount(5);
        answers[0].GetProperty("result").GetProperty("id").GetString().Should().MatchRegex("^[0-9a-f]{8}$");
        answers[1].GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32601);
        answers[2].GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32600);
        answers[3].GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32600);
        answers[3].GetProperty("id").GetInt32().Should().Be(5);
        answers[4].GetProperty("error").GetProperty("data").GetProperty("field").GetString().Should().Be("confidence");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Cstp_EmptyBatch_InvalidRequest(string provider)
    {
        using var client = await ClientAsync(provider);

        var (_, body) = await CstpClient.PostAsync(client, "[]");

        body.ValueKind.Should().Be(JsonValueKind.Object);
        body.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32600);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Cstp_OnlyNotifications_NoContent(string provider)
    {
        using var client = await ClientAsync(provider);

        var (status, _) = await CstpClient.PostAsync(client,
            """[{"jsonrpc":"2.0","method":"cstp.recordDecision","params":{"summary":"quiet","confidence":0.6}},{"jsonrpc":"2.0","method":"cstp.nothing"}]""");

        status.Should().Be(HttpStatusCode.NoContent);
        var query = await CstpClient.CallAsync(client, "cstp.queryDecisions", new { query = "quiet" });
        query.GetProperty("total").GetInt32().Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Cstp_DeepNesting_ParseErrorNot500(string provider)
    {
        using var client = await ClientAsync(provider);
        var deep = new string('[', 5000) + new string(']', 5000);

        var (status, body) = await CstpClient.PostAsync(client, deep);

        status.Should().Be(HttpStatusCode.OK);
        body.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32700);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Cstp_HugeSummary_InvalidParamsNothingStored(string provider)
    {
        using var client = await ClientAsync(provider);
        var call = JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, method = "cstp.recordDecision",
            @params = new { summary = "zebra-" + new string('z', 50_000), confidence = 0.5 } });

        var (_, body) = await CstpClient.PostAsync(client, call);

        body.GetProperty("error").GetProperty("data").GetProperty("field").GetString().Should().Be("summary");
        (await CstpClient.CallAsync(client, "cstp.queryDecisions", new { query = "zebra" })).GetProperty("total").GetInt32().Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Cstp_BodyOverLimit_413ProblemDetails(string provider)
    {
        using var client = await ClientAsync(provider);
        using var content = new StringContent("\"" + new string('a', 1_100_000) + "\"", Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/cstp", content);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Cstp_MissingVersion_InvalidRequest(string provider)
    {
        using var client = await ClientAsync(provider);

        var (_, body) = await CstpClient.PostAsync(client, """{"id":9,"method":"cstp.queryDecisions"}""");

        body.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32600);
        body.GetProperty("id").GetInt32().Should().Be(9);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Cstp_ReviewUnknownId_InvalidParams(string provider)
    {
        using var client = await ClientAsync(provider);

        var (_, body) = await CstpClient.PostAsync(client,
            """{"jsonrpc":"2.0","id":1,"method":"cstp.reviewDecision","params":{"id":"ffffffff","outcome":"success"}}""");

        body.GetProperty("error").GetProperty("data").GetProperty("field").GetString().Should().Be("id");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Cstp_RecordDecision_AnswersCstpShape(string provider)
    {
        using var client = await ClientAsync(provider);

        var (status, body) = await CstpClient.PostAsync(client, Record);

        status.Should().Be(HttpStatusCode.OK);
        var result = body.GetProperty("result");
        result.GetProperty("success").GetBoolean().Should().BeTrue();
        result.GetProperty("id").GetString().Should().MatchRegex("^[0-9a-f]{8}$");
        DateTimeOffset.Parse(result.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Cstp_InvalidUtf8_ParseError(string provider)
    {
        using var client = await ClientAsync(provider);
        using var content = new ByteArrayContent([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync("/cstp", content);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32700);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Cstp_HostileShapes_StandardErrorsNever5xx(string provider)
    {
        using var client = await ClientAsync(provider);
        var oversizedBatch = "[" + string.Join(",", Enumerable.Repeat("""{"jsonrpc":"2.0","id":1,"method":"cstp.queryDecisions"}""", 101)) + "]";
        (string Body, int Code)[] cases =
        [
            ("\"hello\"", -32600),
            ("null", -32600),
            ("""{"jsonrpc":"2.0","id":{"a":1},"method":"cstp.queryDecisions"}""", -32600),
            ("""{"jsonrpc":"2.0","id":1,"method":7}""", -32600),
            (oversizedBatch, -32600),
            ("""{"jsonrpc":"2.0","id":1,"method":"cstp.recordDecision","params":{"summary":"x","confidence":1e400}}""", -32602),
            ("""{"jsonrpc":"2.0","id":1,"method":"cstp.reviewDecision","params":{"id":"IDIDIDIDIDIDIDIDIDIDIDIDIDIDIDIDIDIDIDIDIDIDIDIDIDIDIDIDIDIDIDIDID1","outcome":"success"}}""", -32602),
            ("""{"jsonrpc":"2.0","id":1,"method":"cstp.queryDecisions","params":{"limit":1000000}}""", -32602),
            ("""{"jsonrpc":"2.0","id":1,"method":"cstp.getCalibration","params":{"filters":{"since":"yesterday-ish"}}}""", -32602),
            ("""{"jsonrpc":"2.0","id":1,"method":"cstp.recordDecision","params":{"summary":"x","confidence":0.5,"file":"../../etc/passwd"}}""", -32602),
            ("""{"jsonrpc":"2.0","id":1,"method":"cstp.reportBug","params":{"project":"acme/shop","stackTrace":"no frames at all"}}""", -32602),
        ];

        foreach (var (call, code) in cases)
        {
            var (status, body) = await CstpClient.PostAsync(client, call);

            status.Should().Be(HttpStatusCode.OK, call[..Math.Min(80, call.Length)]);
            body.GetProperty("error").GetProperty("code").GetInt32().Should().Be(code, call[..Math.Min(80, call.Length)]);
        }
    }
}
