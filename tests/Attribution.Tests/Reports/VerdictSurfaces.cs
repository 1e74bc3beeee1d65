using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Attribution.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Attribution.Tests.Hosting;
using Attribution.Tests.Mcp;

namespace Attribution.Tests.Reports;

/// <summary>
/// Issue 18's consistency check over one graph, whatever seeded it: for every session and PR, the session document
/// (HTTP, CLI <c>--json</c>, MCP), the CLI sentence, <c>/api/yield</c> and the <c>/yield</c> page, the PR stage report
/// (<c>/api/pr-attribution</c>), the PR page and the <c>/providers</c> totals give the same still-good, CI and touch figures.
/// </summary>
internal static class VerdictSurfaces
{
    /// <summary>Asserts the surfaces agree; returns each session's (still good, CI) and the <c>/api/yield</c> answer.</summary>
    public static async Task<(HashSet<(bool?, string?)> Seen, JsonElement Yield)> AssertAgreeAsync(AttributionApp app, string repo, IReadOnlyList<(string Session, int Pr)> works)
    {
        using var http = app.CreateClient();
        await using var mcp = await McpToolsTests.ConnectAsync(app);

        var yield = await JsonAsync(http, $"/api/yield?since=all&repo={repo}&pageSize=100");
        var yieldRows = yield.GetProperty("sessions").EnumerateArray().ToDictionary(r => r.GetProperty("sessionId").GetString()!);
        var yieldPage = await http.GetStringAsync($"/yield?period=all&repo={repo}");
        var seen = new HashSet<(bool?, string?)>();

        foreach (var work in works.Select(w => new { w.Session, w.Pr }))
        {
            var document = await JsonAsync(http, $"/api/attribution/session/{work.Session}");
            var outcome = document.GetProperty("outcome");
            var figures = (StillGood: Flag(outcome.GetProperty("stillGood")), Ci: Text(outcome.GetProperty("ciStatus")), Touches: outcome.GetProperty("downstreamTouchCount").GetInt32());
            seen.Add((figures.StillGood, figures.Ci));

            // /api/yield: the same row figures.
            var row = yieldRows[work.Session];
            (Flag(row.GetProperty("stillGood")), Text(row.GetProperty("ciStatus")), row.GetProperty("downstreamTouches").GetInt32())
                .Should().Be(figures, $"/api/yield agrees with the session document of PR {work.Pr}");

            // MCP and the CLI's --json answer the same document.
            var tool = await mcp.CallToolAsync("attribute_session", new Dictionary<string, object?> { ["id"] = work.Session });
            var mcpDocument = JsonDocument.Parse(tool.Content.OfType<TextContentBlock>().Single().Text).RootElement;
            Same(mcpDocument, document, "outcome", "pullRequests", "summary").Should().BeTrue($"MCP agrees for PR {work.Pr}");
            var (exit, json, _) = await CliAsync(app, "attribute", "session", work.Session, "--json");
            exit.Should().Be(0);
            Same(JsonDocument.Parse(json).RootElement, document, "outcome", "pullRequests", "summary").Should().BeTrue($"the CLI's --json agrees for PR {work.Pr}");

            // The CLI sentence is the document's summary, and says the verdict in the shared words.
            var (_, text, _) = await CliAsync(app, "attribute", "session", work.Session);
            text.Split(Environment.NewLine)[0].Should().Be(document.GetProperty("summary").GetString());

            // The PR stage report judges the PR as the session document's PR item does.
            var prItem = document.GetProperty("pullRequests").EnumerateArray().Single();
            var stage = await JsonAsync(http, $"/api/pr-attribution?repo={repo}&pr={work.Pr}");
            var prFigures = stage.GetProperty("outcome");
            (Flag(prFigures.GetProperty("stillGood")), Text(prFigures.GetProperty("ciStatus")), prFigures.GetProperty("touchCount").GetInt32(), prFigures.GetProperty("revertCount").GetInt32())
                .Should().Be((Flag(prItem.GetProperty("stillGood")), Text(prItem.GetProperty("ciStatus")), prItem.GetProperty("downstreamTouchCount").GetInt32(), prItem.GetProperty("revertCount").GetInt32()),
                    $"the PR stage report agrees with the session document on PR {work.Pr}");

            // The PR page says the same, in the shared words.
            var prPage = WebUtility.HtmlDecode(await http.GetStringAsync($"/prs/github/{repo}/{work.Pr}"));
            var expected = Attribution.Linking.Outcomes.OutcomePhrases.PullRequest(new Attribution.Linking.Outcomes.PullRequestFigures(
                Text(prFigures.GetProperty("ciStatus")), prFigures.GetProperty("touchCount").GetInt32(), prFigures.GetProperty("fixCount").GetInt32(),
                prFigures.GetProperty("revertCount").GetInt32(), Flag(prFigures.GetProperty("stillGood")), prFigures.GetProperty("stillGoodAfterDays").GetInt32()));
            prPage.Should().Contain($"id=\"pr-outcome\">{expected}<", $"the PR page agrees on PR {work.Pr}");
            prPage.Should().Contain($"<a href=\"#touches\">{prFigures.GetProperty("touchCount").GetInt32()}</a>");

            // The /yield page's row shows the same still-good and CI.
            var at = yieldPage.IndexOf(work.Session, StringComparison.Ordinal);
            at.Should().BeGreaterThan(0, "the /yield page lists the session");
            var rowHtml = WebUtility.HtmlDecode(yieldPage[at..yieldPage.IndexOf("</tr>", at, StringComparison.Ordinal)]);
            rowHtml.Should().Contain(figures.StillGood switch { true => "✓ yes", false => "✕ no", null => "not yet" });
            if (figures.Ci is not null)
            {
                rowHtml.Should().Contain($"ci-{figures.Ci}");
            }
        }

        await AssertProvidersPageAsync(http, repo, works.Select(w => w.Pr).Distinct().ToList());
        return (seen, yield);
    }

    /// <summary>
    /// The <c>/providers</c> totals count a provider's PRs judged still good as the PR stage report judges each: every
    /// provider row's "N judged" and rate are those of the report's PRs on which that provider has a stage.
    /// </summary>
    private static async Task AssertProvidersPageAsync(HttpClient http, string repo, IReadOnlyList<int> prs)
    {
        var byProvider = new Dictionary<string, List<bool?>>(StringComparer.Ordinal);
        foreach (var pr in prs)
        {
            var stage = await JsonAsync(http, $"/api/pr-attribution?repo={repo}&pr={pr}");
            var stillGood = Flag(stage.GetProperty("outcome").GetProperty("stillGood"));
            var providers = stage.GetProperty("stages").EnumerateArray()
                .SelectMany(s => s.GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("shown").GetBoolean()).Select(e => e.GetProperty("provider").GetString()!))
                .Distinct(StringComparer.Ordinal);
            foreach (var provider in providers)
            {
                (byProvider.TryGetValue(provider, out var list) ? list : byProvider[provider] = []).Add(stillGood);
            }
        }

        byProvider.Should().NotBeEmpty("the PRs have stage attribution");
        var page = WebUtility.HtmlDecode(await http.GetStringAsync($"/providers?repo={repo}"));
        foreach (var (provider, verdicts) in byProvider)
        {
            var judged = verdicts.Count(v => v is not null);
            var rate = judged == 0 ? "–" : FormattableString.Invariant($"{100.0 * verdicts.Count(v => v == true) / judged:0}%");
            var row = Regex.Match(page, $@"<th scope=""row"">{Regex.Escape(provider)}</th>(.*?)</tr>", RegexOptions.Singleline);
            row.Success.Should().BeTrue($"/providers has a totals row for {provider}");
            row.Groups[1].Value.Should().Contain($"{rate} <span class=\"muted\">({judged} judged)</span>", $"/providers agrees with the PR stage report for {provider}");
        }
    }

    /// <summary>
    /// The CLI in this process. The web host of the same test keeps running and shares the console (its background
    /// pass logs there, with any exception's lines), so only what the command printed is kept: the JSON document
    /// (from its first line "{" to its last "}"), else the summary sentence.
    /// </summary>
    private static async Task<(int Exit, string Out, string Error)> CliAsync(AttributionApp app, params string[] args)
    {
        var (exit, output, error) = await AttributionCliTests.RunAsync(app.Database, args);
        var lines = output.Split(Environment.NewLine);
        var start = Array.FindIndex(lines, l => l == "{");
        var end = Array.FindLastIndex(lines, l => l == "}");
        var printed = start >= 0 && end > start
            ? string.Join(Environment.NewLine, lines[start..(end + 1)])
            : lines.FirstOrDefault(l => l.StartsWith("this session ", StringComparison.Ordinal)) ?? output;
        return (exit, printed, error);
    }

    private static async Task<JsonElement> JsonAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK, path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static bool? Flag(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetBoolean();

    private static string? Text(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetString();

    private static bool Same(JsonElement a, JsonElement b, params string[] properties) =>
        properties.All(p => JsonSerializer.Serialize(a.GetProperty(p)) == JsonSerializer.Serialize(b.GetProperty(p)));
}
