using Attribution.Store;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Sessions;

public sealed class IncrementalIngestTests
{
    private const string Minimal = "test-session-id";

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Reingest_UnchangedFile_AddsNothing(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        var file = h.Copy("claude-code/entire-edit-commit-push.jsonl");
        await h.IngestAsync(file);
        var version = h.Signal.Version;

        var again = await h.IngestAsync(file);

        (again.Files, again.FilesRead, again.SessionsNew, again.SessionsUpdated, again.Events).Should().Be((1, 0, 0, 0, 0));
        h.Signal.Version.Should().Be(version);
        (await h.SessionAsync("78368290-ee0b-474f-8052-bb65a9a581d6")).OutputTokens.Should().Be(347);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Append_NewLines_ArePickedUpFromStoredOffset(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        var file = h.Copy("claude-code/minimal-write-commit.jsonl");
        await h.IngestAsync(file);

        await File.AppendAllTextAsync(file, """
            {"type":"assistant","timestamp":"2025-12-24T10:02:00.000Z","sessionId":"test-session-id","message":{"id":"msg_x","model":"claude-sonnet-4-5","role":"assistant","content":[{"type":"tool_use","id":"toolu_9","name":"Bash","input":{"command":"git checkout -b feature/x && git commit -am 'Second'"}}],"usage":{"input_tokens":10,"output_tokens":20}},"uuid":"msg-008"}
            {"type":"user","timestamp":"2025-12-24T10:02:05.000Z","sessionId":"test-session-id","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_9","content":"Switched to a new branch 'feature/x'\n[feature/x def5678] Second\n 1 file changed"}]},"uuid":"msg-009"}

            """);
        var summary = await h.IngestAsync(file);

        (summary.SessionsNew, summary.SessionsUpdated, summary.Events).Should().Be((0, 1, 3)); // shell, branch, commit
        (await h.EventsAsync(Minimal, "commit")).Select(e => (e.Sha, e.Branch)).Should().Equal(("abc1234", "main"), ("def5678", "feature/x"));
        (await h.EventsAsync(Minimal, "branch")).Should().ContainSingle().Which.Branch.Should().Be("feature/x");
        var s = await h.SessionAsync(Minimal);
        (s.EndedTs, s.InputTokens, s.OutputTokens, s.Model).Should().Be((DateTimeOffset.Parse("2025-12-24T10:02:05Z"), 10L, 20L, "claude-sonnet-4-5"));
        s.CostUsd.Should().BeApproximately(0.00033, 1e-9);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Ingest_FileLongerThanOneCommit_StoresTheSameAsReadWhole(string provider)
    {
        await using var whole = await SessionHarness.CreateAsync(provider);
        await using var parts = await SessionHarness.CreateAsync(provider);
        var lines = (await File.ReadAllLinesAsync(SessionHarness.Fixture("claude-code/minimal-write-commit.jsonl"))).ToList();
        // Over 16 MiB of plain user lines after the only line naming the cwd (the Write after them resolves its
        // path against it) and between the commit call and its result: each run starts a new part.
        var text = new string('x', 1000);
        var filler = string.Join("\n", Enumerable.Range(0, 17_500).Select(i =>
            $$"""{"type":"user","timestamp":"2025-12-24T10:00:12.000Z","sessionId":"test-session-id","message":{"role":"user","content":"{{text}}"},"uuid":"fill-{{i}}"}"""));
        lines.Insert(5, filler);
        lines.Insert(2, filler);
        var file = Path.Combine(parts.Folder, "long.jsonl");
        await File.WriteAllTextAsync(file, string.Join("\n", lines) + "\n");

        await whole.IngestAsync(whole.Copy("claude-code/minimal-write-commit.jsonl"));
        var summary = await parts.IngestAsync(file);
        var again = await parts.IngestAsync(file);

        new FileInfo(file).Length.Should().BeGreaterThan(32L * 1024 * 1024);
        (summary.SessionsNew, summary.SkippedLines, again.FilesRead).Should().Be((1, 0, 0));
        static (string, string, DateTimeOffset, string?, string?, bool?, string?, string?, string?, string?, string?, string?) Row(SessionEventRecord e) =>
            (e.Kind, e.RecordKey, e.Ts, e.Command, e.OutputExcerpt, e.IsError, e.Path, e.AbsPath, e.AddedText, e.Sha, e.Branch, e.ToolName);
        var expected = (await whole.EventsAsync(Minimal)).Select(Row).ToList();
        expected.Select(e => e.Item1).Should().BeEquivalentTo(["edit", "shell", "commit"]);
        (await parts.EventsAsync(Minimal)).Select(Row).Should().BeEquivalentTo(expected);
        (await parts.EventsAsync(Minimal, "edit")).Should().ContainSingle().Which.Path.Should().Be("hello.py");
        (await parts.SessionAsync(Minimal)).Should().BeEquivalentTo(await whole.SessionAsync(Minimal), o => o.Excluding(s => s.UpdatedTs));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task TruncatedLastLine_NotConsumedUntilComplete(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        var full = await File.ReadAllTextAsync(SessionHarness.Fixture("claude-code/minimal-write-commit.jsonl"));
        var cut = full.IndexOf("{\"type\":\"user\",\"timestamp\":\"2025-12-24T10:00:20", StringComparison.Ordinal) + 60;
        var file = Path.Combine(h.Folder, "session.jsonl");
        await File.WriteAllTextAsync(file, full[..cut]);

        var first = await h.IngestAsync(file);
        var commitsBefore = await h.EventsAsync(Minimal, "commit");
        await File.WriteAllTextAsync(file, full);
        await h.IngestAsync(file);

        first.SkippedLines.Should().Be(0);
        commitsBefore.Should().BeEmpty();
        (await h.EventsAsync(Minimal, "commit")).Should().ContainSingle().Which.Sha.Should().Be("abc1234");
        var shell = (await h.EventsAsync(Minimal, "shell")).Should().ContainSingle().Subject;
        (shell.IsError, shell.OutputExcerpt).Should().Be((false, "[main abc1234] Add hello function\n 1 file changed"));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SameSessionInTwoFiles_MergedAndTokensNotDoubled(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        var a = h.Copy("claude-code/gitai-thinking-edit.jsonl", "a.jsonl");
        var b = h.Copy("claude-code/gitai-thinking-edit.jsonl", "b.jsonl");

        var summary = await h.IngestAsync(a, b);

        (summary.SessionsNew, summary.SessionsUpdated, summary.Events).Should().Be((1, 1, 1));
        var s = await h.SessionAsync("dac34307-159f-4fcd-9c21-35210246ad38");
        (s.InputTokens, s.OutputTokens, s.CacheWriteTokens, s.CacheReadTokens).Should().Be((18L, 484L, 7461L, 32612L));
        (await h.EventsAsync(s.SessionId)).Should().ContainSingle();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task RewrittenFile_ShorterThanOffset_IsReadFromStart(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        var file = h.Copy("claude-code/entire-edit-commit-push.jsonl", "x.jsonl");
        await h.IngestAsync(file);

        File.Copy(SessionHarness.Fixture("claude-code/minimal-write-commit.jsonl"), file, overwrite: true);
        var summary = await h.IngestAsync(file);

        (summary.FilesRead, summary.SessionsNew).Should().Be((1, 1));
        (await h.EventsAsync(Minimal, "commit")).Should().ContainSingle();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CodexAppend_ResumedWithoutSessionMeta_AttachesToStoredSession(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        var file = h.Copy("codex/gitai-apply-patch-shell.jsonl", "rollout-2026-02-11T05-53-33-019c4b43.jsonl");
        await h.IngestAsync(file);

        await File.AppendAllTextAsync(file, """
            {"timestamp":"2026-02-11T05:54:00.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_def456","output":"Exit code: 101\nWall time: 1.2 seconds\nOutput:\nerror: test failed"}}
            {"timestamp":"2026-02-11T05:54:01.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":1000,"cached_input_tokens":400,"output_tokens":50,"total_tokens":1050}}}}
            {"timestamp":"2026-02-11T05:54:02.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":3000,"cached_input_tokens":1000,"output_tokens":70,"total_tokens":3070}}}}

            """);
        await h.IngestAsync(file);

        var s = await h.SessionAsync("019c4b43-1451-7af3-be4c-5576369bf1ba");
        (s.InputTokens, s.CacheReadTokens, s.OutputTokens, s.Model).Should().Be((2000L, 1000L, 70L, "gpt-5.1-codex"));
        s.CostUsd.Should().BeApproximately(0.003325, 1e-9); // 2000*1.25 + 70*10 + 1000*0.125 per million
        var shell = (await h.EventsAsync(s.SessionId, "shell")).Should().ContainSingle().Subject;
        (shell.IsError, shell.OutputExcerpt).Should().Be((true, "Exit code: 101\nWall time: 1.2 seconds\nOutput:\nerror: test failed"));
        (await h.EventsAsync(s.SessionId, "edit")).Should().ContainSingle();
    }
}
