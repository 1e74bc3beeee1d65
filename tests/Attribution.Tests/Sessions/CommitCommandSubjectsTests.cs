using System.Diagnostics;
using Attribution.Sessions;

namespace Attribution.Tests.Sessions;

/// <summary>
/// The message a <c>git commit</c> command line gives, read as a shell reads it. The first three commands are
/// shortened from real Claude Code sessions recorded with Entire in entireio/entire-graph (2026-07-22 and 2026-07-03,
/// MIT; their outputs named no commit: <c>-q</c>, <c>| tail -3</c>) and entireio/git-sync (a heredoc, MIT); the test
/// carries them inline and reads no file.
/// </summary>
public sealed class CommitCommandSubjectsTests
{
    private const string Quiet = "git add -A && git commit -q -m \"fix(sem): surface dependents parse failures as warnings\n\nbuildReferenceIndex discarded ParseStatus, so parse failures silently\nundercounted dependents while the provider path reports them.\n\nCo-Authored-By: Claude Fable 5 <noreply@anthropic.com>\nClaude-Session: https://claude.ai/code/session_013CMtDDkQkwEkfeFyk96TeY\" && git push -q && git rev-parse --short HEAD";

    private const string Tailed = "cd ~/Projects/entire-sem && git add internal/sem/grammars/csharp internal/sem/parser.go internal/sem/parser_test.go && git commit -m \"sem(csharp): vendor tree-sitter-c-sharp v0.23.5 (C# 13) at ABI 14\n\nThe bundled go-tree-sitter C# grammar predates C# 12/13: params\ncollections, collection expressions, primary constructors, and the\nfield keyword all degraded to ERROR nodes. In dotnet/runtime's Task.cs\na single 'params ReadOnlySpan<Task>' overload at line 4911 swallowed\nthe enclosing 'class Task' declaration.\n\nCo-Authored-By: Claude Fable 5 <noreply@anthropic.com>\" 2>&1 | tail -3";

    private const string Heredoc = "git add -A && git commit -m \"$(cat <<'EOF'\nAdd RefScope.AllRefs to broaden mirroring beyond branches and tags\n\nIntroduce a third RefKindOther for refs/* namespaces outside refs/heads/\nand refs/tags/ (notes, pulls, replace, custom). Other-kind refs follow \"branch-style\" semantics.\n\nCo-Authored-By: Claude Opus 4.7 (1M context) <noreply@anthropic.com>\nEOF\n)\" && git log --oneline -1";

    [Theory]
    [InlineData(Quiet, "fix(sem): surface dependents parse failures as warnings")]
    [InlineData(Tailed, "sem(csharp): vendor tree-sitter-c-sharp v0.23.5 (C# 13) at ABI 14")]
    [InlineData(Heredoc, "Add RefScope.AllRefs to broaden mirroring beyond branches and tags")]
    [InlineData("git add docs/rewrite-issue-list.md && git commit -m \"Annotate rewrite tracker against current branch state\"", "Annotate rewrite tracker against current branch state")]
    [InlineData("git commit -am 'Fix the retry budget' && git push", "Fix the retry budget")]
    [InlineData("git commit -qm\"Fix the retry budget\"", "Fix the retry budget")]
    [InlineData("git commit --message='Fix the retry budget' --no-verify", "Fix the retry budget")]
    [InlineData("git commit --message 'Fix the retry budget'", "Fix the retry budget")]
    [InlineData("git commit --author \"-F x\" --date now -m \"Values are not options\"", "Values are not options")]
    [InlineData("git -C /src/app -c user.name=bot commit -m \"Say \\\"hello\\\" to \\$USER\"", "Say \"hello\" to $USER")]
    [InlineData("git commit -m '\n\n  Subject after blank lines  \n\nbody'", "Subject after blank lines")]
    [InlineData("git commit -m \"First paragraph\" -m \"second paragraph\"", "First paragraph")]
    [InlineData("git commit -m \"$(cat <<EOF\nUnquoted delimiter works too\nEOF\n)\"", "Unquoted delimiter works too")]
    [InlineData("git commit \\\n  -m \"Continued line\"", "Continued line")]
    [InlineData("git commit -F - <<'EOF' && git push\nSubject from standard input\n\nBody.\nEOF", "Subject from standard input")]
    [InlineData("git commit --file=- <<-MSG\n\tIndented heredoc subject\n\tMSG", "Indented heredoc subject")]
    [InlineData("git commit -qF- <<EOF\nBundled stdin flag subject\nEOF", "Bundled stdin flag subject")]
    public void CommitCommandSubjects_MessageOnTheCommandLine_ItsFirstLine(string command, string subject)
    {
        GitOutputParser.CommitCommandSubjects(command).Should().Equal(subject);
    }

    [Fact]
    public void CommitCommandSubjects_TwoCommitsInOneCommand_BothInOrder()
    {
        GitOutputParser.CommitCommandSubjects("git commit -m \"first change\" -- a.txt && git commit -m 'second change' -- b.txt")
            .Should().Equal("first change", "second change");
    }

    [Theory]
    [InlineData("git commit --amend -m \"Reworded subject\"")]
    [InlineData("git commit -m \"Reworded subject\" --amend")]
    [InlineData("git commit --dry-run -m \"Would commit\"")]
    [InlineData("git commit -F /tmp/message.txt")]
    [InlineData("git commit --file=/tmp/message.txt")]
    [InlineData("git commit -aF /tmp/message.txt")]
    [InlineData("git commit -F - <<'EOF'")]
    [InlineData("git commit -F /tmp/m.txt <<'EOF'\nNot the message git reads\nEOF")]
    [InlineData("git commit -C HEAD~2")]
    [InlineData("git commit -F notes.txt -m \"git refuses -m with -F\"")]
    [InlineData("git commit --fixup=HEAD~1 -m \"fixup of an earlier change\"")]
    [InlineData("git commit -m \"Release $(date +%F)\"")]
    [InlineData("git commit -m \"Built by `whoami`\"")]
    [InlineData("git commit -m \"$MESSAGE\"")]
    [InlineData("git commit")]
    [InlineData("git commit-tree HEAD^{tree} -m \"not a commit command\"")]
    [InlineData("echo git commit is what we will run; ls -m")]
    [InlineData("git log --grep 'commit -m \"x\"'")]
    [InlineData("git commit -m \"never closed")]
    [InlineData("git commit -m 'never closed")]
    [InlineData("git commit -m")]
    [InlineData("git commit -m \"\"")]
    [InlineData("git commit -m \"$(cat <<'EOF'\n\nEOF\n)\"")]
    [InlineData("git commit (")]
    [InlineData("")]
    public void CommitCommandSubjects_NoNewCommitWithAMessageOnTheLine_None(string command)
    {
        GitOutputParser.CommitCommandSubjects(command).Should().BeEmpty();
    }

    [Fact]
    public void CommitCommandSubjects_DollarTheShellKeeps_ReadAsText()
    {
        GitOutputParser.CommitCommandSubjects("git commit -m 'Cost: $5 per $HOME' && git commit -m \"Price in $ and 100%\"")
            .Should().Equal("Cost: $5 per $HOME", "Price in $ and 100%");
    }

    [Fact]
    public void CommitCommandSubjects_HostileCommands_Bounded()
    {
        var quotes = "git commit -m " + string.Concat(Enumerable.Repeat("\"a\\\"", 200_000));
        var commits = string.Concat(Enumerable.Repeat("git commit -m x ", 100_000));
        var heredoc = "git commit -m \"$(cat <<'EOF'\n" + new string('\n', 500_000);

        var watch = Stopwatch.StartNew();
        foreach (var command in new[] { quotes, commits, heredoc })
        {
            GitOutputParser.CommitCommandSubjects(command);
        }

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2));
        GitOutputParser.CommitCommandSubjects(commits).Count.Should().BeLessThan(1_000, "only the first TranscriptParser.MaxCommand characters are read");
    }
}
