using System.Net;
using System.Text.Json;
using Attribution.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Attribution.Tests.Surfaces;

/// <summary>
/// Issue 18's consistency check: one graph, every surface that shows a verdict, the same still-good, CI and touch
/// figures for every session and PR: the session document (HTTP, CLI <c>--json</c>, MCP), the CLI sentence,
/// <c>/api/yield</c> and the <c>/yield</c> page, the PR stage report (<c>/api/pr-attribution</c>) and the PR page.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class VerdictConsistencyTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private sealed record Work(string Session, int Pr, string Sha);

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task EverySurface_GivesTheSameVerdictFigures(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var seed = new GraphSeeder(app.Database.Connections);
        var repo = GraphSeeder.NewRepo();
        var now = DateTimeOffset.UtcNow;
        var works = new List<Work>();

        async Task<Work> SeedAsync(int pr, string state, DateTimeOffset at, string? ci, string? touch, bool reverted = false, bool ciOnHeadOnly = false)
        {
            var session = GraphSeeder.NewSessionId();
            var sha = GraphSeeder.NewSha();
            var merge = state == "merged" ? GraphSeeder.NewSha() : null;
            await seed.SessionAsync(session, "claude-code", "claude-opus-4-6", repo, 0.25 * pr, at.AddHours(-2), at.AddHours(-1));
            await seed.CommitAsync(repo, sha, $"Work of PR {pr}", at);
            await seed.LinkAsync(repo, sha, session, "authored", 1.0);
            await seed.PrAsync(repo, pr, $"PR {pr}", state, at, mergedAt: merge is null ? null : at.AddHours(1), headSha: sha, mergeSha: merge,
                revertedAt: reverted ? at.AddDays(2) : null);
            await seed.PrCommitAsync(repo, pr, sha);
            await seed.SessionPrLinkAsync(session, repo, pr);
            if (ci is not null)
            {
                await seed.CiRunAsync(repo, $"run-{pr}", ciOnHeadOnly || merge is null ? sha : merge, ci, at.AddHours(2));
            }

            if (touch is not null)
            {
                await seed.TouchAsync(repo, "commit", sha, GraphSeeder.NewSha(), touch, at.AddDays(3));
                await seed.TouchAsync(repo, "commit", sha, GraphSeeder.NewSha(), "other", at.AddDays(4));
            }

            var work = new Work(session, pr, sha);
            works.Add(work);
            return work;
        }

        await SeedAsync(1, "merged", now.AddDays(-40), "success", "other");                      // still good
        await SeedAsync(2, "merged", now.AddDays(-40), "failure", "fix");                        // a fix within 14 days
        await SeedAsync(3, "merged", now.AddDays(-40), "success", null, reverted: true);         // reverted by a revert PR
        await SeedAsync(4, "merged", now.AddDays(-3), "success", "fix");                         // too young to judge
        await SeedAsync(5, "open", now.AddDays(-1), "in_progress", null, ciOnHeadOnly: true);    // in review, CI on its head only
        using var http = app.CreateClient();
        await using var mcp = await McpToolsTests.ConnectAsync(app);

        var yield = await JsonAsync(http, $"/api/yield?since=all&repo={repo}&pageSize=100");
        var yieldRows = yield.GetProperty("sessions").EnumerateArray().ToDictionary(r => r.GetProperty("sessionId").GetString()!);
        var yieldPage = await http.GetStringAsync($"/yield?period=all&repo={repo}");
        var seen = new HashSet<(bool?, string?)>();

        foreach (var work in works)
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

        // The graph covers each verdict: still good, not still good, too young or not judged; CI passed, failed, pending.
        seen.Select(s => s.Item1).Should().Contain([true, false, null]);
        seen.Select(s => s.Item2).Should().Contain(["success", "failure", "pending"]);
        var stillGoodRate = yield.GetProperty("totals").GetProperty("stillGoodRate").GetDouble();
        stillGoodRate.Should().BeApproximately(1.0 / 3, 1e-4, "PRs 1, 2 and 3 are old enough; only PR 1 held up");
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
