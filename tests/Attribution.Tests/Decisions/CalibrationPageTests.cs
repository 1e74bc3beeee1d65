using System.Net;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Decisions;

public sealed class CalibrationPageTests
{
    private static async Task SeedAsync(HttpClient client)
    {
        var outcomes = new[] { "success", "failure", "success", "partial" };
        for (var i = 0; i < outcomes.Length; i++)
        {
            var recorded = await CstpClient.CallAsync(client, "cstp.recordDecision", new
            {
                summary = i == 0 ? "<script>alert('x')</script> & friends" : $"decision {i}", confidence = 0.95 - (i * 0.2),
                category = i % 2 == 0 ? "architecture" : "tooling", project = "acme/shop", pr = 8,
            });
            await CstpClient.CallAsync(client, "cstp.reviewDecision", new { id = recorded.GetProperty("id").GetString(), outcome = outcomes[i] });
        }
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CalibrationPage_WithDecisions_RendersSvgTableAndEncodedText(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider);
        using var client = app.CreateClient();
        await SeedAsync(client);

        using var response = await client.GetAsync("/calibration?groupBy=category");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("<svg role=\"img\"").And.Contain("<circle").And.Contain("stroke-dasharray");
        html.Should().Contain("r=\"6\"", "a bucket of one decision has radius 4 + 2·√1");
        html.Should().Contain("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; friends").And.NotContain("<script>alert");
        html.Should().Contain("Confidence buckets (the diagram as a table)");
        html.Should().Contain("By category").And.Contain("href=\"/calibration?category=architecture\"");
        html.Should().Contain("href=\"#bucket-0_9-1_0\"").And.Contain("id=\"bucket-0_9-1_0\"");
        html.Should().Contain("href=\"/prs/github/acme/shop/8\"");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CalibrationPage_EmptyDatabase_ExplainsHowToRecord(string provider)
    {
        await using var app = await AttributionApp.StartAsync(provider);
        using var client = app.CreateClient();

        var html = await client.GetStringAsync("/calibration?groupBy=planet");

        html.Should().Contain("No decisions yet").And.Contain("cstp.recordDecision").And.Contain("Unknown grouping ignored");
    }
}
