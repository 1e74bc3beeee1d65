using System.Text;
using System.Text.Json;
using Attribution.Api;
using Attribution.Reports;
using Attribution.Linking;
using Attribution.Sources;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Linking;
using Dapper;

namespace Attribution.Tests.Sources;

/// <summary>git-ai authorship logs ("Git AI Standard v3.0.0") in <c>refs/notes/ai</c>, written with <c>git notes --ref=ai add</c>.</summary>
public sealed class GitAiNoteTests
{
    private const string Slug = "acme/app";
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private const string ClaudeSession = "6ef2299e-a67f-432b-aa80-3d2fb4d28999";

    private static string Lines(int count, string word) => string.Concat(Enumerable.Range(1, count).Select(i => $"{word} {i}\n"));

    // The standard's shape with session records: attestation (path, "  <key> <ranges>"), "---", JSON metadata.
    private static string SessionsNote(string baseSha) => $$"""
        src/main.rs
          s_c9883b05a2487d::t_9f8e7d6c5b4a32 1-4,7
          s_c9883b05a2487d::t_a1b2c3d4e5f678 5
          h_31dce0a1b2c3d4 8-9
        "src/my lib.rs"
          s_c9883b05a2487d::t_9f8e7d6c5b4a32 2-3
        ---
        {
          "schema_version": "authorship/3.0.0",
          "git_ai_version": "1.3.2",
          "base_commit_sha": "{{baseSha}}",
          "sessions": {
            "s_c9883b05a2487d": {
              "agent_id": { "tool": "claude", "id": "{{ClaudeSession}}", "model": "claude-opus-4-6" },
              "human_author": "Dev <dev@example.com>"
            }
          }
        }
        """;

    // The standard's complete example (legacy 16-hex prompt keys).
    private static string PromptsNote(string baseSha) => $$"""
        src/main.rs
          abcd1234abcd1234 1-3
          efab5678efab5678 4
        ---
        {
          "schema_version": "authorship/3.0.0",
          "git_ai_version": "1.0.23",
          "base_commit_sha": "{{baseSha}}",
          "prompts": {
            "abcd1234abcd1234": {
              "agent_id": { "tool": "cursor", "id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890", "model": "claude-4.5-opus" },
              "human_author": "Developer <dev@example.com>",
              "messages": [],
              "total_additions": 3, "total_deletions": 0, "accepted_lines": 3, "overriden_lines": 0
            },
            "efab5678efab5678": {
              "agent_id": { "tool": "cursor", "id": "b2c3d4e5-f6a7-8901-bcde-f12345678901", "model": "claude-3-sonnet" },
              "messages": [],
              "total_additions": 1, "total_deletions": 0, "accepted_lines": 1, "overriden_lines": 0
            }
          }
        }
        """;

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Note_LinksItsSessions_KeepsAiShare_ShowsItInTheCommitDocument(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(1));
        using var git = new GitShell();
        var init = git.Commit("init", T0, ("README.md", "hello\n"));
        var sha = git.Commit("feat: main", T0.AddHours(1), ("src/main.rs", Lines(10, "line")), ("src/my lib.rs", Lines(5, "lib")));
        var other = git.Commit("feat: more", T0.AddHours(2), ("src/main.rs", Lines(12, "line")));
        git.Run("notes", "--ref=ai", "add", "-m", SessionsNote(init), sha);
        git.Run("notes", "--ref=ai", "add", "-m", PromptsNote(sha), other);

        var scan = await engine.IngestAsync(Slug, git.Path);
        await engine.BackfillAsync();

        scan.Sources!.Notes.Should().Be(2);
        scan.Sources.Warnings.Should().BeEmpty();
        var link = await engine.LinkAsync(Slug, sha, ClaudeSession);
        link!.LinkType.Should().Be(RecordedLinker.Recorded);
        link.Confidence.Should().Be(1.0);
        using (var evidence = JsonDocument.Parse(link.EvidenceJson))
        {
            evidence.RootElement.GetProperty("source").GetString().Should().Be("git-ai");
            var files = evidence.RootElement.GetProperty("files");
            files.GetProperty("src/main.rs").GetInt32().Should().Be(6, "lines 1-4, 5 and 7: human lines 8-9 are not the AI's");
            files.GetProperty("src/my lib.rs").GetInt32().Should().Be(2);
            evidence.RootElement.GetProperty("recorded").GetProperty("humanAuthor").GetString().Should().Be("Dev <dev@example.com>");
        }

        (await engine.LinkAsync(Slug, other, "a1b2c3d4-e5f6-7890-abcd-ef1234567890"))!.LinkType.Should().Be(RecordedLinker.Recorded);
        (await engine.LinkAsync(Slug, other, "b2c3d4e5-f6a7-8901-bcde-f12345678901"))!.LinkType.Should().Be(RecordedLinker.Recorded);

        // Per commit: 8 of its 15 added lines were written by AI.
        var ai = await engine.Recorded.AiLinesAsync(Slug, sha, CancellationToken.None);
        ai.Should().Be(new CommitAiLines(sha, "git-ai", 8, 15));

        var documents = new CommitAttributionService(new AttributionQueryStore(engine.Database.Connections), engine.Time, new DecisionStore(engine.Database.Connections), engine.Recorded);
        var lookup = await documents.GetAsync(sha, Slug, 0.5, CancellationToken.None);
        lookup.Document!.AiLines.Should().Be(new CommitAiLinesItem("git-ai", 8, 15, 0.5333));
        lookup.Document.Sessions.Should().ContainSingle(s => s.SessionId == ClaudeSession && s.LinkType == "recorded");

        await using var c = await engine.Database.Connections.OpenAsync(CancellationToken.None);
        var session = await c.QuerySingleAsync<(string Agent, string? Model, string? Repo)>("SELECT agent, model, repo_slug FROM sessions WHERE session_id = @Id", new { Id = ClaudeSession });
        session.Should().Be(("claude-code", "claude-opus-4-6", Slug));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Note_AgentSessionId_MergesWithTheTranscriptOfTheSameSession(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(1));
        using var git = new GitShell();
        var init = git.Commit("init", T0, ("README.md", "hello\n"));
        var sha = git.Commit("feat: main", T0.AddHours(1), ("src/main.rs", Lines(10, "line")), ("src/my lib.rs", Lines(5, "lib")));
        git.Run("notes", "--ref=ai", "add", "-m", SessionsNote(init), sha);
        await engine.IngestAsync(Slug, git.Path);

        var transcript = string.Join('\n',
            JsonSerializer.Serialize(new { type = "user", sessionId = ClaudeSession, uuid = "u1", timestamp = "2026-11-01T09:30:00Z", message = new { role = "user", content = "write main" } }),
            JsonSerializer.Serialize(new { type = "assistant", sessionId = ClaudeSession, uuid = "u2", timestamp = "2026-11-01T09:31:00Z", message = new { id = "m1", role = "assistant", model = "claude-opus-4-6", content = new[] { new { type = "text", text = "done" } }, usage = new { input_tokens = 5, output_tokens = 7 } } })) + "\n";
        await engine.Sessions.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(transcript)), "claude-code", Slug, CancellationToken.None);
        await engine.BackfillAsync();

        await using var c = await engine.Database.Connections.OpenAsync(CancellationToken.None);
        var rows = (await c.QueryAsync<(string Agent, long Output, string? Started)>("SELECT agent, output_tokens, started_ts FROM sessions WHERE session_id = @Id", new { Id = ClaudeSession })).ToList();
        rows.Should().ContainSingle();
        rows[0].Output.Should().Be(7);
        rows[0].Started.Should().StartWith("2026-11-01T09:30:00");
        (await engine.LinkAsync(Slug, sha, ClaudeSession))!.LinkType.Should().Be(RecordedLinker.Recorded);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Note_ThatDoesNotParse_OneWarning_OthersRead(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(1));
        using var git = new GitShell();
        var init = git.Commit("init", T0, ("README.md", "hello\n"));
        var sha = git.Commit("feat: main", T0.AddHours(1), ("src/main.rs", Lines(10, "line")), ("src/my lib.rs", Lines(5, "lib")));
        git.Run("notes", "--ref=ai", "add", "-m", "src/main.rs\n  zz 1-2\nno divider here", init);
        git.Run("notes", "--ref=ai", "add", "-m", SessionsNote(init), sha);

        var scan = await engine.IngestAsync(Slug, git.Path);
        await engine.BackfillAsync();

        scan.Sources!.Warnings.Should().ContainSingle().Which.Should().Contain(init).And.Contain("does not parse");
        (await engine.LinkAsync(Slug, sha, ClaudeSession))!.LinkType.Should().Be(RecordedLinker.Recorded);
    }

    [Fact]
    public void Parse_RejectsWhatTheStandardForbids()
    {
        GitAiNote.Parse("a.rs\n  abcd1234abcd1234 1-3\n", out var noDivider).Should().BeNull();
        noDivider.Should().Contain("---");
        GitAiNote.Parse("a.rs\n  abcd1234abcd1234 3-1\n---\n{}", out var backwards).Should().BeNull();
        backwards.Should().Contain("ranges");
        GitAiNote.Parse("a.rs\n  abcd1234abcd1234 1\n---\n{\"prompts\":{}}", out var unknownKey).Should().BeNull();
        unknownKey.Should().Contain("abcd1234abcd1234");
        GitAiNote.Parse("a.rs\n  abcd1234abcd1234 1\n---\n[1]", out var notObject).Should().BeNull();
        notObject.Should().Contain("object");
    }

    [Fact]
    public void Parse_CountsDistinctLinesPerFile()
    {
        var note = GitAiNote.Parse("a.rs\n  abcd1234abcd1234 1-3,5\n  ef01ef01ef01ef01 3-4\n---\n{\"prompts\":{\"abcd1234abcd1234\":{\"agent_id\":{\"tool\":\"cursor\",\"id\":\"x\"}},\"ef01ef01ef01ef01\":{\"agent_id\":{\"tool\":\"codex\",\"id\":\"y\"}}}}", out var error);
        error.Should().BeNull();
        note!.AiLines.Should().Be(5, "line 3 is attested twice");
        note.Sessions.Select(s => (s.AgentSessionId, s.LinesByFile["a.rs"])).Should().Equal(("x", 4), ("y", 2));
    }
}
