using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Attribution.Linking;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Attribution.Tests.EndToEnd;

/// <summary>
/// The whole chain through the real ingest paths: a real Claude Code transcript (import endpoint), the push and
/// the pull request as signed GitHub deliveries, the attribution pass, and the answers of the query API.
/// </summary>
public sealed class RealPathsTests(RealPathsTests.App fixture) : IClassFixture<RealPathsTests.App>
{
    internal const string SessionId = "78368290-ee0b-474f-8052-bb65a9a581d6";
    internal const string Sha = "6289e2b26b707b3fa79a793cdcadeac0c325d4c8";
    private const string Branch = "dipree/entire-wingman";

    public sealed class App : AppFixture
    {
        protected override IDictionary<string, string?> Settings => SignedWebhookClient.AllSecrets;
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task RealTranscriptPushAndPr_LinkSessionToCommitAndPr(string provider)
    {
        var app = await fixture.ForAsync(provider);
        using var http = app.CreateClient();
        var hooks = new SignedWebhookClient(http);

        (await hooks.GitHubAsync("push", Push())).StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await hooks.GitHubAsync("pull_request", PullRequest(91))).StatusCode.Should().Be(HttpStatusCode.Accepted);
        using var import = new ByteArrayContent(FixtureFiles.ReadFixture("sessions/claude-code/entire-edit-commit-push.jsonl"));
        import.Headers.ContentType = new("application/x-ndjson");
        using var imported = await http.PostAsync("/api/sessions/import?agent=claude-code&repo=entireio/cli", import);
        imported.StatusCode.Should().Be(HttpStatusCode.OK);
        await Eventually.CountAtLeastAsync(app.Database, "SELECT count(*) FROM pr_outcomes WHERE repo_slug = 'entireio/cli' AND pr_number = 91");
        await Eventually.CountAtLeastAsync(app.Database, "SELECT count(*) FROM commits WHERE repo_slug = 'entireio/cli' AND sha = @Sha", new { Sha });

        await app.Services.GetRequiredService<AttributionBackfill>().RunAsync("entireio/cli", TimeSpan.FromDays(3650), null, CancellationToken.None);

        var commit = await http.GetFromJsonAsync<JsonElement>("/api/attribution/commit/6289e2b2?repo=entireio/cli");
        var session = commit.GetProperty("sessions").EnumerateArray().Single();
        session.GetProperty("sessionId").GetString().Should().Be(SessionId);
        session.GetProperty("linkType").GetString().Should().Be("authored");
        session.GetProperty("confidence").GetDouble().Should().Be(1.0);
        session.GetProperty("agent").GetString().Should().Be("claude-code");
        commit.GetProperty("pullRequests").EnumerateArray().Select(p => p.GetProperty("number").GetInt32()).Should().Contain(91);
        commit.GetProperty("summary").GetString().Should().StartWith($"this commit came from session {SessionId} (authored, agent: claude-code");

        var doc = await http.GetFromJsonAsync<JsonElement>($"/api/attribution/session/{SessionId}");
        doc.GetProperty("repo").GetString().Should().Be("entireio/cli");
        doc.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("sha").GetString()).Should().Contain(Sha);
        doc.GetProperty("pullRequests").EnumerateArray().Select(p => p.GetProperty("number").GetInt32()).Should().Contain(91);
        doc.GetProperty("summary").GetString().Should().Contain("6289e2b");

        var yieldPage = await http.GetStringAsync("/yield?period=all&repo=entireio/cli");
        yieldPage.Should().Contain($"/sessions/{SessionId}").And.Contain("in-review");
        var sessionPage = await http.GetStringAsync($"/sessions/{SessionId}");
        sessionPage.Should().Contain("6289e2b").And.Contain("authored");
        var prPage = await http.GetStringAsync("/prs/github/entireio/cli/91");
        prPage.Should().Contain("Wingman status").And.Contain(SessionId[..8]);
    }

    internal static byte[] Push()
    {
        var push = JsonNode.Parse(FixtureFiles.ReadFixture("github/push.branch-updated.json"))!;
        push["ref"] = "refs/heads/" + Branch;
        push["before"] = "b5c8d265" + new string('0', 32);
        push["after"] = Sha;
        push["repository"]!["full_name"] = "entireio/cli";
        push["repository"]!["name"] = "cli";
        var commit = new JsonObject
        {
            ["id"] = Sha,
            ["message"] = "Show wingman status in session start message\n\nEntire-Checkpoint: 05a188c59540",
            ["timestamp"] = "2026-02-11T18:47:20Z",
            ["url"] = "https://github.com/entireio/cli/commit/" + Sha,
            ["author"] = new JsonObject { ["name"] = "dip", ["email"] = "dip@example.com", ["username"] = "dipree" },
            ["committer"] = new JsonObject { ["name"] = "dip", ["email"] = "dip@example.com", ["username"] = "dipree" },
            ["added"] = new JsonArray(),
            ["removed"] = new JsonArray(),
            ["modified"] = new JsonArray("cmd/entire/cli/hooks.go"),
        };
        push["commits"] = new JsonArray(commit);
        push["head_commit"] = commit.DeepClone();
        return Encoding.UTF8.GetBytes(push.ToJsonString());
    }

    internal static byte[] PullRequest(int number)
    {
        var delivery = JsonNode.Parse(FixtureFiles.ReadFixture("github/pull_request.opened.json"))!;
        delivery["number"] = number;
        delivery["repository"]!["full_name"] = "entireio/cli";
        var pr = delivery["pull_request"]!;
        pr["number"] = number;
        pr["title"] = "Wingman status";
        pr["html_url"] = $"https://github.com/entireio/cli/pull/{number}";
        pr["head"]!["ref"] = Branch;
        pr["head"]!["sha"] = Sha;
        pr["created_at"] = "2026-02-11T18:50:00Z";
        pr["updated_at"] = "2026-02-11T18:50:00Z";
        return Encoding.UTF8.GetBytes(delivery.ToJsonString());
    }
}
