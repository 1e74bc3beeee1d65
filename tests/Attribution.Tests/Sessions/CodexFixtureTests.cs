using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Sessions;

public sealed class CodexFixtureTests
{
    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task RealExec_TokenCount_UsesLastCumulativeTotalAndUnknownModelCostsNull(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);

        await h.IngestAsync(SessionHarness.Fixture("codex/agent-history-real-exec-redacted.jsonl"));

        var s = await h.SessionAsync("019e9625-802f-7e91-840a-cfe88d14117a");
        (s.Agent, s.Model, s.Cwd).Should().Be(("codex", "gpt-5.5", "/tmp/agent-history-real-agent/codex/workspace"));
        (s.StartedTs, s.EndedTs).Should().Be((DateTimeOffset.Parse("2026-06-05T04:58:20.593Z"), DateTimeOffset.Parse("2026-06-05T04:58:26.713Z")));
        // 22539 input of which 20864 cached, 10 output.
        (s.InputTokens, s.OutputTokens, s.CacheWriteTokens, s.CacheReadTokens).Should().Be((1675L, 10L, 0L, 20864L));
        s.CostUsd.Should().BeNull();
        (await h.EventsAsync(s.SessionId)).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SyntheticTools_ExecCommandAndCustomApplyPatch_BecomeShellAndEdit(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);

        var summary = await h.IngestAsync(SessionHarness.Fixture("codex/claude-code-log-synthetic-tools.jsonl"));

        const string id = "11111111-1111-4111-8111-111111111111";
        var s = await h.SessionAsync(id);
        (s.Model, s.CostUsd).Should().Be(("synthetic-model", (double?)null));
        summary.SkippedLines.Should().Be(0); // the unknown record type is ignored silently
        var shell = (await h.EventsAsync(id, "shell")).Should().ContainSingle().Subject;
        (shell.RecordKey, shell.Command, shell.OutputExcerpt, shell.Ts).Should().Be(
            ("call-structured-001", "find . -maxdepth 1 -type f", "./alpha.txt\n./beta.txt", DateTimeOffset.Parse("2026-01-02T03:04:09Z")));
        var edit = (await h.EventsAsync(id, "edit")).Should().ContainSingle().Subject;
        (edit.Path, edit.AbsPath, edit.AddedText, edit.RecordKey).Should().Be(
            ("gamma.txt", "/workspace/synthetic-project/gamma.txt", "synthetic\n", "call-custom-001#0"));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ApplyPatchShell_CallsWithoutOutput_StoredWithUnknownResult(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);

        await h.IngestAsync(SessionHarness.Fixture("codex/gitai-apply-patch-shell.jsonl"));

        const string id = "019c4b43-1451-7af3-be4c-5576369bf1ba";
        var s = await h.SessionAsync(id);
        (s.Model, s.Cwd, s.InputTokens, s.CostUsd).Should().Be(("gpt-5.1-codex", "/Users/test/projects/git-ai", 0L, 0d));
        var edit = (await h.EventsAsync(id, "edit")).Should().ContainSingle().Subject;
        (edit.Path, edit.AddedText, edit.IsError).Should().Be(("src/main.rs", "fn greet() { println!(\"hello\"); }\nfn main() { greet(); }\n", (bool?)null));
        var shell = (await h.EventsAsync(id, "shell")).Should().ContainSingle().Subject;
        (shell.Command, shell.OutputExcerpt, shell.IsError, shell.ToolName).Should().Be(("cargo test", (string?)null, (bool?)null, "shell_command"));
    }
}
