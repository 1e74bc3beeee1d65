using Attribution.Sessions;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Sessions;

public sealed class ClaudeCodeFixtureTests
{
    private const string EditCommitPush = "78368290-ee0b-474f-8052-bb65a9a581d6";
    private const string MergeConflict = "37a27d31-4a70-427b-8518-5fad6045d347";
    private const string ViewerSample = "5c0375b4-57a5-4f26-b12d-d022ee4e51b7";

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task EditCommitPush_Ingested_StoresSessionTokensAndCost(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);

        var summary = await h.IngestAsync(SessionHarness.Fixture("claude-code/entire-edit-commit-push.jsonl"));

        var s = await h.SessionAsync(EditCommitPush);
        s.Agent.Should().Be("claude-code");
        s.Model.Should().Be("claude-opus-4-6");
        s.StartedTs.Should().Be(DateTimeOffset.Parse("2026-02-11T18:22:45.122Z"));
        s.EndedTs.Should().Be(DateTimeOffset.Parse("2026-02-11T18:47:23.493Z"));
        s.Cwd.Should().Be("/Users/dip/Repositories/cli");
        s.GitBranch.Should().Be("dipree/entire-wingman");
        (s.InputTokens, s.OutputTokens, s.CacheWriteTokens, s.CacheReadTokens).Should().Be((15L, 347L, 36887L, 461487L));
        s.CostUsd.Should().BeApproximately(0.470037, 1e-9); // 15*5 + 347*25 + 36887*6.25 + 461487*0.5 per million
        summary.SessionsNew.Should().Be(1);
        summary.SkippedLines.Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task RemoteSession_Ingested_KeepsTheIdItsCommitsNameItBy(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);

        var summary = await h.IngestAsync(SessionHarness.Fixture("claude-code/entire-graph-remote-session.jsonl"));

        summary.SkippedLines.Should().Be(0);
        await using var c = await h.Database.Connections.OpenAsync(CancellationToken.None);
        (await Dapper.SqlMapper.ExecuteScalarAsync<string>(c, "SELECT remote_id FROM sessions WHERE session_id = 'fc71f2f6-8d80-49fa-a756-bb1cb91bcb84'"))
            .Should().Be("013CMtDDkQkwEkfeFyk96TeY");
        var shell = (await h.EventsAsync("fc71f2f6-8d80-49fa-a756-bb1cb91bcb84", "shell")).Should().ContainSingle().Subject;
        GitOutputParser.CommitCommandSubjects(shell.Command).Should().Equal("fix(sem): surface dependents parse failures as warnings");
        (await h.EventsAsync("fc71f2f6-8d80-49fa-a756-bb1cb91bcb84", "commit")).Should().BeEmpty("git commit -q printed no [branch sha] line");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task EditCommitPush_Ingested_RecordsCommitPushAndEdits(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);

        await h.IngestAsync(SessionHarness.Fixture("claude-code/entire-edit-commit-push.jsonl"));

        var commit = (await h.EventsAsync(EditCommitPush, "commit")).Should().ContainSingle().Subject;
        (commit.Sha, commit.Branch, commit.Subject).Should().Be(("6289e2b2", "dipree/entire-wingman", "Show wingman status in session start message"));
        commit.Ts.Should().Be(DateTimeOffset.Parse("2026-02-11T18:47:21.042Z"));
        var push = (await h.EventsAsync(EditCommitPush, "push")).Should().ContainSingle().Subject;
        (push.Sha, push.Branch).Should().Be(("6289e2b2", "dipree/entire-wingman"));
        var edits = await h.EventsAsync(EditCommitPush, "edit");
        edits.Select(e => e.Path).Should().Equal("cmd/entire/cli/hooks.go", "cmd/entire/cli/hooks.go");
        edits[0].AbsPath.Should().Be("/Users/dip/Repositories/cli/cmd/entire/cli/hooks.go");
        edits.Should().OnlyContain(e => e.IsError == false && e.AddedText!.Length > 0);
        (await h.EventsAsync(EditCommitPush, "shell")).Select(e => e.Command![..10]).Should().Equal("git status", "git diff c", "git log --", "git add cm");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task MergeConflict_FailedMerge_MakesNoCommitButLaterCommitAndPushCount(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);

        await h.IngestAsync(SessionHarness.Fixture("claude-code/entire-merge-conflict-commit-push.jsonl"));

        var shells = await h.EventsAsync(MergeConflict, "shell");
        var merge = shells.Single(e => e.Command == "git merge origin/main");
        merge.IsError.Should().BeTrue();
        merge.OutputExcerpt.Should().StartWith("Exit code 1\nAuto-merging");
        var commit = (await h.EventsAsync(MergeConflict, "commit")).Should().ContainSingle().Subject;
        (commit.Sha, commit.Branch, commit.Subject).Should().Be(("aa50bdd9", "alex/ent-207-fix-agent-name-misattribution", "Merge origin/main into alex/ent-207-fix-agent-name-misattribution"));
        var push = (await h.EventsAsync(MergeConflict, "push")).Should().ContainSingle().Subject;
        (push.Sha, push.Branch).Should().Be(("aa50bdd9", "alex/ent-207-fix-agent-name-misattribution"));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task MergeConflict_WorktreeCwd_EditPathsRelativeToWorktreeRoot(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);

        await h.IngestAsync(SessionHarness.Fixture("claude-code/entire-merge-conflict-commit-push.jsonl"));

        var s = await h.SessionAsync(MergeConflict);
        (s.Model, s.InputTokens, s.OutputTokens, s.CacheWriteTokens, s.CacheReadTokens).Should().Be(("claude-opus-4-6", 36L, 370L, 51268L, 1167666L));
        s.CostUsd.Should().BeApproximately(0.913688, 1e-9);
        (await h.EventsAsync(MergeConflict, "edit")).Select(e => e.Path).Should().Equal(
            "cmd/entire/cli/strategy/manual_commit_git.go",
            "cmd/entire/cli/strategy/manual_commit_git.go",
            "cmd/entire/cli/strategy/manual_commit_test.go");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task MinimalWriteCommit_Ingested_CommitOnMainAndNoCost(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);

        await h.IngestAsync(SessionHarness.Fixture("claude-code/minimal-write-commit.jsonl"));

        var s = await h.SessionAsync("test-session-id");
        (s.StartedTs, s.EndedTs).Should().Be((DateTimeOffset.Parse("2025-12-24T10:00:00Z"), DateTimeOffset.Parse("2025-12-24T10:01:05Z")));
        (s.Cwd, s.GitBranch, s.Model, s.CostUsd).Should().Be(("/project", "main", (string?)null, (double?)null));
        var commit = (await h.EventsAsync("test-session-id", "commit")).Should().ContainSingle().Subject;
        (commit.Sha, commit.Branch, commit.Subject).Should().Be(("abc1234", "main", "Add hello function"));
        var edit = (await h.EventsAsync("test-session-id", "edit")).Should().ContainSingle().Subject;
        (edit.Path, edit.AddedText).Should().Be(("hello.py", "def hello():\n    return 'Hello, World!'\n"));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ThinkingEdit_Ingested_UsageCountedOncePerMessage(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);

        await h.IngestAsync(SessionHarness.Fixture("claude-code/gitai-thinking-edit.jsonl"));

        var s = await h.SessionAsync("dac34307-159f-4fcd-9c21-35210246ad38");
        (s.Model, s.InputTokens, s.OutputTokens, s.CacheWriteTokens, s.CacheReadTokens).Should().Be(("claude-sonnet-4-5-20250929", 18L, 484L, 7461L, 32612L));
        s.CostUsd.Should().BeApproximately(0.045076, 1e-9);
        (s.StartedTs, s.EndedTs).Should().Be((DateTimeOffset.Parse("2025-12-16T00:35:39.299Z"), DateTimeOffset.Parse("2025-12-16T00:35:54.952Z")));
        (await h.EventsAsync(s.SessionId, "edit")).Should().ContainSingle().Which.Path.Should().Be("index.ts");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SummaryRecord_GivesTheSessionItsTitle(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);

        await h.IngestAsync(SessionHarness.Fixture("claude-code/gitai-thinking-edit.jsonl"));

        // {"type":"summary","summary":"...","leafUuid":"..."} heads the file and names no session.
        (await h.SessionAsync("dac34307-159f-4fcd-9c21-35210246ad38")).Title.Should().Be("Add Hello World Header Comment to index.ts");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SummaryRecord_AfterTheSessionsRecords_TitlesThatSession_AndASessionWithoutOneHasNone(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        var lines = File.ReadAllLines(SessionHarness.Fixture("claude-code/gitai-thinking-edit.jsonl"));
        var file = Path.Combine(h.Folder, "summary-last.jsonl");
        await File.WriteAllLinesAsync(file, [.. lines[1..], lines[0]]);

        await h.IngestAsync(file, SessionHarness.Fixture("claude-code/viewer-sample-write.jsonl"));

        (await h.SessionAsync("dac34307-159f-4fcd-9c21-35210246ad38")).Title.Should().Be("Add Hello World Header Comment to index.ts");
        (await h.SessionAsync("1af7fc5e-8455-4414-9ccd-011d40f70b2a")).Title.Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task TwoRecordsOnOneLine_BothRead(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        var lines = File.ReadAllLines(SessionHarness.Fixture("claude-code/gitai-thinking-edit.jsonl"));
        var file = Path.Combine(h.Folder, "joined.jsonl");
        // The assistant record with the Edit and the record after it, written without the newline between.
        var edit = Array.FindIndex(lines, l => l.Contains("\"name\":\"Edit\"", StringComparison.Ordinal));
        await File.WriteAllLinesAsync(file, [.. lines[..edit], lines[edit] + lines[edit + 1], .. lines[(edit + 2)..]]);

        var summary = await h.IngestAsync(file);

        summary.SkippedLines.Should().Be(0);
        var s = await h.SessionAsync("dac34307-159f-4fcd-9c21-35210246ad38");
        (s.InputTokens, s.OutputTokens, s.CacheWriteTokens, s.CacheReadTokens).Should().Be((18L, 484L, 7461L, 32612L));
        (await h.EventsAsync(s.SessionId, "edit")).Should().ContainSingle().Which.IsError.Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SampleWrite_RejectedWrite_StoredWithErrorFlag(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);

        await h.IngestAsync(SessionHarness.Fixture("claude-code/viewer-sample-write.jsonl"));

        var s = await h.SessionAsync("1af7fc5e-8455-4414-9ccd-011d40f70b2a");
        (s.GitBranch, s.InputTokens, s.OutputTokens, s.CacheWriteTokens, s.CacheReadTokens).Should().Be(((string?)null, 93L, 953L, 12698L, 103219L));
        s.CostUsd.Should().BeApproximately(0.093157, 1e-9);
        var write = (await h.EventsAsync(s.SessionId, "edit")).Should().ContainSingle().Subject;
        (write.Path, write.IsError, write.ToolName).Should().Be(("CLAUDE.md", true, "Write"));
        (await h.EventsAsync(s.SessionId, "shell")).Select(e => e.Command).Should().Equal(
            "find . -name \"*.json\" -o -name \"*.md\" -o -name \"*.js\" -o -name \"*.ts\" -o -name \"*.py\" -o -name \"*.go\" -o -name \"*.rs\" | head -20",
            "ls -la");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SubagentSidechain_SeparateFile_CountsTowardParentSession(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);

        var summary = await h.IngestAsync(
            SessionHarness.Fixture("claude-code/viewer-sample-task-multiedit.jsonl"),
            SessionHarness.Fixture("claude-code/viewer-subagent-sidechain.jsonl"));

        (summary.SessionsNew, summary.SessionsUpdated).Should().Be((1, 1));
        var s = await h.SessionAsync(ViewerSample);
        (s.InputTokens, s.OutputTokens, s.CacheWriteTokens, s.CacheReadTokens).Should().Be((229L, 3639L, 47747L, 324259L));
        s.CostUsd.Should().BeApproximately(0.331601, 1e-9);
        (s.StartedTs, s.EndedTs).Should().Be((DateTimeOffset.Parse("2025-09-03T00:47:19.293Z"), DateTimeOffset.Parse("2025-09-07T09:54:26.499Z")));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task TaskMultiEdit_InlineSidechains_MultiEditTextJoined(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);

        await h.IngestAsync(SessionHarness.Fixture("claude-code/viewer-sample-task-multiedit.jsonl"));

        var s = await h.SessionAsync(ViewerSample);
        (s.InputTokens, s.OutputTokens).Should().Be((129L, 3629L));
        var edits = await h.EventsAsync(ViewerSample, "edit");
        edits.Select(e => (e.Path, e.ToolName, e.IsError)).Should().Equal(("CLAUDE.md", "Edit", true), ("CLAUDE.md", "MultiEdit", false));
        edits[1].AddedText!.Length.Should().Be(2790);
        (await h.EventsAsync(ViewerSample, "shell")).Should().HaveCount(5);
    }
}
