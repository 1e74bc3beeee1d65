using Attribution.Sessions.Codex;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Sessions;

/// <summary>The shapes of 2026 Codex rollouts, each on lines copied from the dev set's real rollouts (see SOURCES.md).</summary>
public sealed class CodexRolloutShapeTests
{
    private const string ExecSession = "019ddeed-72de-7371-bf67-ac505f4386ba";
    private const string CommitCall = "call_RFrK9lCHXJGPcYIgTEx5aUMK";
    private const string CommitCommand = "git add README.md assets/git-sync-header.png && git commit -m \"Add repo header image\"";

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ExecCommandStillRunningAtFirstYield_WriteStdinPollCompletesItWithTheCommit(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);

        var summary = await h.IngestAsync(SessionHarness.Fixture("codex/git-sync-exec-running-poll.jsonl"));

        summary.SkippedLines.Should().Be(0);
        var shell = (await h.EventsAsync(ExecSession, "shell")).Should().ContainSingle().Subject; // the poll is no command of its own
        (shell.RecordKey, shell.Command, shell.IsError, shell.ToolName).Should().Be((CommitCall, CommitCommand, false, "exec_command"));
        shell.OutputExcerpt.Should().Contain("Process running with session ID 16166").And.Contain("[codex/add-repo-header-image c2fe52e] Add repo header image");
        var commit = (await h.EventsAsync(ExecSession, "commit")).Should().ContainSingle().Subject;
        (commit.Sha, commit.Branch, commit.Subject, commit.Ts).Should().Be(
            ("c2fe52e", "codex/add-repo-header-image", "Add repo header image", DateTimeOffset.Parse("2026-04-30T15:07:32.197Z")));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ExecCommandStillRunningAtFirstYield_ExecCommandEndCompletesItWithTheCommit(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);

        await h.IngestAsync(SessionHarness.Fixture("codex/git-sync-exec-running-end.jsonl"));

        var shell = (await h.EventsAsync(ExecSession, "shell")).Should().ContainSingle().Subject;
        (shell.RecordKey, shell.IsError).Should().Be((CommitCall, false));
        shell.OutputExcerpt.Should().StartWith("[codex/add-repo-header-image c2fe52e] Add repo header image");
        var commit = (await h.EventsAsync(ExecSession, "commit")).Should().ContainSingle().Subject;
        (commit.Sha, commit.Ts).Should().Be(("c2fe52e", DateTimeOffset.Parse("2026-04-30T15:07:32.298Z")));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ExecCommandStillRunningWhenTheFileEnds_StoredAsRunning_ThenCompletedWhenThePollIsWritten(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        var lines = File.ReadAllLines(SessionHarness.Fixture("codex/git-sync-exec-running-poll.jsonl"));
        var file = Path.Combine(h.Folder, "rollout-running.jsonl");
        await File.WriteAllLinesAsync(file, lines[..4]);

        await h.IngestAsync(file);

        var running = (await h.EventsAsync(ExecSession, "shell")).Should().ContainSingle().Subject;
        (running.IsError, running.OutputExcerpt).Should().Be(((bool?)null, "Chunk ID: 28b923\nWall time: 1.0017 seconds\nProcess running with session ID 16166\nOriginal token count: 0\nOutput:\n"));
        (await h.EventsAsync(ExecSession, "commit")).Should().BeEmpty();

        await File.AppendAllLinesAsync(file, lines[4..]);
        await h.IngestAsync(file);

        (await h.EventsAsync(ExecSession, "commit")).Should().ContainSingle().Which.Sha.Should().Be("c2fe52e");
        (await h.EventsAsync(ExecSession, "shell")).Should().ContainSingle().Which.IsError.Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CodeModeScript_ItsPatchAndCommandBecomeEditAndShellWithTheCommit(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        const string id = "019f80ed-65ac-7eb3-9c28-9885c0fbca91";

        await h.IngestAsync(SessionHarness.Fixture("codex/entire-graph-code-mode.jsonl"));

        var edit = (await h.EventsAsync(id, "edit")).Should().ContainSingle().Subject;
        (edit.RecordKey, edit.Path, edit.AbsPath, edit.ToolName, edit.IsError).Should().Be(
            ("call_zse3BSh8EfZ764pgiiD9T0Tr#p0#0", "internal/gitutil/git.go", "/Users/thomi/Projects/entire-graph/internal/gitutil/git.go", "exec", false));
        edit.AddedText.Should().StartWith("\t// Preserve the caller's locale here. Unlike the other git commands in this\n")
            .And.Contain("\tobjectSpec := rev + \"^{tree}:\" + path\n");
        var shell = (await h.EventsAsync(id, "shell")).Should().ContainSingle().Subject;
        (shell.RecordKey, shell.Command, shell.IsError).Should().Be(
            ("call_ZuwfkmiByaynAedlo8Rfe8xu#x0", "git commit -m \"fix(gitutil): harden revision and locale handling\"", false));
        var commit = (await h.EventsAsync(id, "commit")).Should().ContainSingle().Subject;
        (commit.Sha, commit.Branch, commit.Subject).Should().Be(("7d5db0d", "fix/31-showfile-error-classify", "fix(gitutil): harden revision and locale handling"));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ForkedSubAgent_OwnWorkIsItsOwn_ParentReplaySkipped_InheritedTokensTakenOff(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        const string child = "019d7e40-7150-7df3-b034-a8421746ef80";
        const string parent = "019d7d08-46c9-7f73-affe-4e6ca9852d56";

        await h.IngestAsync(SessionHarness.Fixture("codex/git-sync-forked-subagent.jsonl"));

        (await h.Store.GetSessionAsync(parent, CancellationToken.None)).Should().BeNull();
        var s = await h.SessionAsync(child);
        (s.StartedTs, s.EndedTs).Should().Be((DateTimeOffset.Parse("2026-04-11T20:34:05.777Z"), DateTimeOffset.Parse("2026-04-13T11:47:55.606Z")));
        // Its session_meta names the parent it was spawned from (forked_from_id, source.subagent.thread_spawn.parent_thread_id).
        s.ParentSessionId.Should().Be(parent);
        // The replayed parent ran `git commit` (4b63c50) and patched docs/rewrite-issue-list.md before the fork:
        // neither is the sub-agent's.
        var commit = (await h.EventsAsync(child, "commit")).Should().ContainSingle().Subject;
        (commit.Sha, commit.Subject, commit.Ts).Should().Be(("709a9b8", "Reduce duplicate bootstrap batch probes", DateTimeOffset.Parse("2026-04-11T20:35:41.447Z")));
        (await h.EventsAsync(child, "edit")).Select(e => (e.RecordKey, e.Path)).Should().Equal(
            ("call_YGWIPks2gxfOQvMWKuheMquj#0", "internal/strategy/bootstrap/bootstrap.go"));
        (await h.EventsAsync(child, "shell")).Select(e => e.RecordKey).Should().Equal("call_1u3P6gE7bZD0ViQJneUfcCb5");
        // Final total 26816063 input (24584704 cached) / 73681 output, less the parent's 18874911 (17729792) / 51244 at the fork.
        (s.Model, s.InputTokens, s.CacheReadTokens, s.OutputTokens).Should().Be(("gpt-5.4", 1086240L, 6854912L, 22437L));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ForkedSubAgent_WithoutTheSpawnedOutput_ReplayEndsAMinuteAfterTheFork(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        const string child = "019d7e40-7150-7df3-b034-a8421746ef80";
        var lines = File.ReadAllLines(SessionHarness.Fixture("codex/git-sync-forked-subagent.jsonl"));
        var file = Path.Combine(h.Folder, "rollout-no-marker.jsonl");
        await File.WriteAllLinesAsync(file, lines.Where(l => !l.Contains("You are the newly spawned agent", StringComparison.Ordinal)));

        await h.IngestAsync(file);

        // The patch at 20:34:38 is within the minute and is lost with the replay; the commit at 20:35:34 is kept.
        (await h.EventsAsync(child, "commit")).Should().ContainSingle().Which.Sha.Should().Be("709a9b8");
        (await h.EventsAsync(child, "edit")).Should().BeEmpty();
        (await h.Store.GetSessionAsync("019d7d08-46c9-7f73-affe-4e6ca9852d56", CancellationToken.None)).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ForkedSubAgent_ReadAgainWhole_AddsNothingAndKeepsItsTotals(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        const string child = "019d7e40-7150-7df3-b034-a8421746ef80";
        var copy = h.Copy("codex/git-sync-forked-subagent.jsonl", "rollout-copy.jsonl");

        await h.IngestAsync(SessionHarness.Fixture("codex/git-sync-forked-subagent.jsonl"));
        var second = await h.IngestAsync(copy);

        second.Events.Should().Be(0);
        var s = await h.SessionAsync(child);
        (s.InputTokens, s.CacheReadTokens, s.OutputTokens).Should().Be((1086240L, 6854912L, 22437L));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ReviewSubAgent_IsASessionOfItsOwnWithItsCommandsAndNoEdits(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        const string id = "019ed481-bd8c-7382-85a5-e924e38824ba";

        await h.IngestAsync(SessionHarness.Fixture("codex/git-sync-review-subagent.jsonl"));

        var s = await h.SessionAsync(id);
        (s.Agent, s.Cwd).Should().Be(("codex", "/Users/soph/Work/entire/devenv/git-sync"));
        // A review sub-agent names the session it reports to as parent_thread_id (source.subagent is "review").
        s.ParentSessionId.Should().Be("019ed481-bd21-7e10-bbea-bcd84f3ab5c1");
        var shells = await h.EventsAsync(id, "shell");
        shells.Select(e => e.RecordKey).Should().Equal("call_P5eADzjcsDlfoMdYjKEHGOpG", "call_Gvf8vEoiT1UYo40ivQIxlxek");
        shells[0].Command.Should().Be("git diff 368750cee35f31935640a34ad199e889fc60f1a8");
        // It ran `git -C $work ... commit -m init >/dev/null` in a scratch repository: no commit line, no commit.
        shells[1].Command.Should().Contain("commit -m init");
        (await h.EventsAsync(id, "commit")).Should().BeEmpty();
        (await h.EventsAsync(id, "edit")).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task TwoRecordsOnOneLine_BothRead(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        const string id = "019d6d29-8cf7-7fe3-adc9-8c3e4d9d5603";

        var summary = await h.IngestAsync(SessionHarness.Fixture("codex/git-sync-two-records-one-line.jsonl"));

        summary.SkippedLines.Should().Be(0);
        var s = await h.SessionAsync(id);
        // The token_count (first object) counts; the task_started (second object) moves the end.
        (s.InputTokens, s.CacheReadTokens, s.OutputTokens).Should().Be((28054386L - 26178816L, 26178816L, 125916L));
        s.EndedTs.Should().Be(DateTimeOffset.Parse("2026-04-08T19:41:09.765Z"));
        s.ParentSessionId.Should().BeNull("a session started from the CLI has no parent");
    }

    [Fact]
    public void Script_CommandsWithTheirWorkdirAndPatchesAreRead()
    {
        var calls = CodexScript.Read("""
            // tools.exec_command({ cmd: "not this" })
            const a = await tools.exec_command({ cmd: "git status --short", workdir: "/r" });
            const b = await tools.exec_command({ "cmd": 'git commit -m \'it\\\'s\'', yield_time_ms: 1000 });
            /* "*** Begin Patch" in a comment */
            const patch = "*** Begin Patch\n*** Add File: a.txt\n+\u0041\n*** End Patch";
            text(await tools.apply_patch(patch));
            """);

        calls.Commands.Should().Equal(new ScriptCommand("git status --short", "/r"), new ScriptCommand("git commit -m 'it\\'s'", null));
        calls.Patches.Should().Equal("*** Begin Patch\n*** Add File: a.txt\n+A\n*** End Patch");
    }

    [Theory]
    [InlineData("const r = await tools.exec_command({ cmd: \"unterminated")]
    [InlineData("tools.exec_command({ cmd: `a ${b} c` })")]
    [InlineData("tools.exec_command(\"\\")]
    [InlineData("text(ALL_TOOLS)")]
    public void Script_MalformedOrUnusual_NeverThrows(string script)
    {
        var read = () => CodexScript.Read(script);

        read.Should().NotThrow();
    }

    [Fact]
    public void Script_Huge_ReadInOnePass()
    {
        var script = "tools.exec_command({ cmd: \"" + new string('\\', 4_000_001) + string.Concat(Enumerable.Repeat("cmd: \"x\", ", 100_000));

        var started = System.Diagnostics.Stopwatch.StartNew();
        var calls = CodexScript.Read(script);

        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        calls.Commands.Count.Should().BeLessThanOrEqualTo(CodexScript.MaxCalls);
    }
}
