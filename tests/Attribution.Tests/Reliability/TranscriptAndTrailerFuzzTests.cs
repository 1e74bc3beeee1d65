using System.Net;
using System.Text;
using Attribution.Git;
using Attribution.Linking;
using Attribution.Sessions;
using Attribution.Tests.Infrastructure;
using Dapper;

namespace Attribution.Tests.Reliability;

/// <summary>
/// Mutated Claude Code and Codex transcripts through the import endpoint (never a 5xx, the server stays healthy, a
/// session stored before the run keeps its row), and mutated commit messages and git output through the trailer,
/// agent-marker and git-output parsers (never throw).
/// </summary>
public sealed class TranscriptAndTrailerFuzzTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const int BoundedTranscripts = 150;
    private const int BoundedMessages = 3000;

    private static readonly string[] Transcripts =
    [
        "claude-code/entire-edit-commit-push.jsonl",
        "claude-code/entire-merge-conflict-commit-push.jsonl",
        "claude-code/gitai-thinking-edit.jsonl",
        "claude-code/minimal-write-commit.jsonl",
        "claude-code/viewer-sample-task-multiedit.jsonl",
        "codex/claude-code-log-synthetic-tools.jsonl",
        "codex/gitai-apply-patch-shell.jsonl",
    ];

    [Fact]
    public async Task MutatedTranscripts_ThroughImport_NeverFailTheServerNorChangeOtherSessions()
    {
        var app = await fixture.ForAsync(TestProviders.Sqlite);
        using var http = app.CreateClient();
        using var kept = new ByteArrayContent(FixtureFiles.ReadFixture("sessions/codex/agent-history-real-exec-redacted.jsonl"));
        kept.Headers.ContentType = new("application/x-ndjson");
        using var keptResponse = await http.PostAsync("/api/sessions/import?agent=codex", kept);
        keptResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        var keptId = System.Text.Json.JsonDocument.Parse(await keptResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("sessions")[0].GetProperty("sessionId").GetString()!;
        var before = await SnapshotAsync(app, keptId);
        var random = new Random(FuzzSettings.Seed);
        var failures = new List<string>();

        for (var i = 0; i < FuzzSettings.Cases(BoundedTranscripts); i++)
        {
            var file = Transcripts[random.Next(Transcripts.Length)];
            var lines = Encoding.UTF8.GetString(FixtureFiles.ReadFixture("sessions/" + file)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var mutated = new StringBuilder();
            var kinds = new List<string>();
            foreach (var line in lines)
            {
                if (random.Next(4) == 0)
                {
                    var (kind, body) = JsonMutator.Mutate(Encoding.UTF8.GetBytes(line), random);
                    kinds.Add(kind);
                    mutated.Append(Encoding.UTF8.GetString(body).Replace("\n", " ", StringComparison.Ordinal));
                }
                else
                {
                    mutated.Append(line);
                }

                mutated.Append('\n');
            }

            var status = await ImportAsync(http, file.StartsWith("codex", StringComparison.Ordinal) ? "codex" : "claude-code", Encoding.UTF8.GetBytes(mutated.ToString()));
            if ((int)status >= 500)
            {
                failures.Add($"case {i} {file} ({string.Join(",", kinds.Distinct())}): {(int)status}");
            }
        }

        failures.Should().BeEmpty($"seed {FuzzSettings.Seed}");
        (await http.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await SnapshotAsync(app, keptId)).Should().Be(before, "the session stored before the fuzz run is not touched by other transcripts");
    }

    [Fact]
    public void MutatedCommitMessagesAndGitOutput_NeverThrow()
    {
        string[] messages =
        [
            "feat: x\n\nCo-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\nClaude-Session: https://claude.ai/code/session_01XYZ\n",
            "Revert \"Add cache\"\n\nThis reverts commit 6289e2b26b707b3fa79a793cdcadeac0c325d4c8.\n",
            "fix(api): guard nulls\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)\n\nCo-authored-by: Codex <noreply@openai.com>\nMade-with: Cursor\n",
        ];
        string[] outputs =
        [
            "[dipree/entire-wingman 6289e2b2] Show wingman status\n 1 file changed, 6 insertions(+)\nTo https://github.com/entireio/cli.git\n   b5c8d265..6289e2b2  dipree/entire-wingman -> dipree/entire-wingman\n",
            "[main (root-commit) abc1234] Initial\n",
            "https://github.com/acme/app/pull/42\n",
        ];
        var random = new Random(FuzzSettings.Seed);
        var failures = new List<string>();

        for (var i = 0; i < FuzzSettings.Cases(BoundedMessages); i++)
        {
            var (kind, message) = TextMutator.Mutate(messages[random.Next(messages.Length)], random);
            var (outputKind, output) = TextMutator.Mutate(outputs[random.Next(outputs.Length)], random);
            try
            {
                _ = TrailerParser.Parse(message);
                _ = TrailerParser.RevertedSha(message);
                _ = AgentMarkers.Detect(message, TrailerParser.Parse(message), "Claude (aider)", "noreply@anthropic.com", "cursoragent@cursor.com");
                _ = GitOutputParser.Parse("git add . && git commit -m x && git push -u origin feat/x && gh pr create", output, random.Next(2) == 0);
            }
#pragma warning disable CA1031 // the property under test is "never throws": every exception is a finding
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures.Add($"case {i} ({kind}/{outputKind}): {ex.GetType().Name}: {ex.Message}");
            }
        }

        failures.Should().BeEmpty($"seed {FuzzSettings.Seed}");
    }

    private static async Task<HttpStatusCode> ImportAsync(HttpClient http, string agent, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/x-ndjson");
        using var response = await http.PostAsync($"/api/sessions/import?agent={agent}", content);
        return response.StatusCode;
    }

    private static async Task<string> SnapshotAsync(AttributionApp app, string sessionId)
    {
        await using var connection = await app.Database.Connections.OpenAsync(CancellationToken.None);
        var row = await connection.QuerySingleAsync(
            "SELECT session_id, agent, model, started_ts, ended_ts, input_tokens, output_tokens, cost_usd FROM sessions WHERE session_id = @sessionId", new { sessionId });
        return string.Join("|", ((IDictionary<string, object?>)row).Select(kv => $"{kv.Key}={kv.Value}"));
    }
}
