using System.Net;
using System.Text;
using System.Text.Json;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Reliability;

/// <summary>
/// Mutated JSON-RPC requests of every CSTP method to <c>/cstp</c>: never a 5xx; a 200 is a JSON-RPC 2.0 envelope
/// (or a batch of them) holding a result or a well-formed error; anything else is problem details or 204.
/// </summary>
public sealed class CstpFuzzTests
{
    private const int BoundedCases = 400;

    private static readonly string[] Requests =
    [
        """{"jsonrpc":"2.0","id":1,"method":"cstp.recordDecision","params":{"summary":"Use a queue","confidence":0.8,"category":"architecture","project":"acme/shop","pr":12,"commit":"0123456789abcdef0123456789abcdef01234567","tags":["queue","infra"]}}""",
        """{"jsonrpc":"2.0","id":"q-2","method":"cstp.queryDecisions","params":{"query":"queue","filters":{"project":"acme/shop","since":"2026-01-01T00:00:00Z"},"limit":10}}""",
        """{"jsonrpc":"2.0","id":3,"method":"cstp.reviewDecision","params":{"id":"0123456789abcdef","outcome":"success","note":"held up"}}""",
        """{"jsonrpc":"2.0","id":4,"method":"cstp.getCalibration","params":{"groupBy":"category","filters":{"project":"acme/shop"}}}""",
        """{"jsonrpc":"2.0","id":5,"method":"cstp.reportBug","params":{"project":"acme/shop","title":"crash","stackTrace":"Traceback (most recent call last):\n  File \"/srv/app/server.py\", line 88, in handle\nValueError: x"}}""",
        """{"jsonrpc":"2.0","id":6,"method":"cstp.attributeOutcomes","params":{"project":"acme/shop","dryRun":true}}""",
        """[{"jsonrpc":"2.0","id":7,"method":"cstp.queryDecisions"},{"jsonrpc":"2.0","method":"cstp.getCalibration"}]""",
    ];

    [Fact]
    public async Task MutatedJsonRpcBodies_NeverAnswer5xxAndErrorsAreJsonRpcEnvelopes()
    {
        await using var app = await AttributionApp.StartAsync(TestProviders.Sqlite);
        using var client = app.CreateClient();
        var random = new Random(FuzzSettings.Seed);
        var failures = new List<string>();

        for (var i = 0; i < FuzzSettings.Cases(BoundedCases); i++)
        {
            var (kind, body) = JsonMutator.Mutate(Encoding.UTF8.GetBytes(Requests[random.Next(Requests.Length)]), random);
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(new Uri("/cstp", UriKind.Relative), content);
            var text = await response.Content.ReadAsStringAsync();
            var problem = Check(response, text);
            if (problem is not null)
            {
                failures.Add($"case {i} ({kind}): {problem}");
            }
        }

        failures.Should().BeEmpty($"seed {FuzzSettings.Seed}");
        using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        health.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static string? Check(HttpResponseMessage response, string text)
    {
        var code = (int)response.StatusCode;
        if (code >= 500)
        {
            return $"{code} {text}";
        }

        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            return response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? null : $"{code} without problem details";
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var envelopes = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            foreach (var envelope in envelopes)
            {
                if (envelope.ValueKind != JsonValueKind.Object || !envelope.TryGetProperty("jsonrpc", out var version) || version.GetString() != "2.0")
                {
                    return "not a JSON-RPC 2.0 envelope: " + text;
                }

                var hasResult = envelope.TryGetProperty("result", out _);
                var hasError = envelope.TryGetProperty("error", out var error);
                if (hasResult == hasError)
                {
                    return "needs exactly one of result and error: " + text;
                }

                if (hasError && (!error.TryGetProperty("code", out var errorCode) || errorCode.ValueKind != JsonValueKind.Number
                    || !error.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String))
                {
                    return "error without numeric code and message: " + text;
                }

                if (hasError && error.GetProperty("code").GetInt32() == -32603)
                {
                    return "internal error: " + text;
                }
            }
        }
        catch (JsonException)
        {
            return "200 body is not JSON: " + text;
        }

        return null;
    }
}
