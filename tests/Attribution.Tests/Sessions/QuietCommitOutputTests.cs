using Attribution.Sessions;

namespace Attribution.Tests.Sessions;

/// <summary>
/// A quiet <c>git commit -q</c> prints no <c>[branch sha]</c> line; the command's own <c>git log --oneline</c>
/// names the commit. Shapes from a real Claude Code session of the dev set (entire-graph, 2026-07-22).
/// </summary>
public sealed class QuietCommitOutputTests
{
    private const string Command = "git add -A && git commit -q -m \"fix(sem): report skipped dependents scans, include binary-flagged files\n\nReview follow-ups.\" && git log --oneline -3";
    private const string Output = "125a253 fix(sem): report skipped dependents scans, include binary-flagged files\nf072786 perf(sem): key snapshot cache by tree, re-stamp commit on load\n93e3bd1 perf(sem): prune dependents scan with git-grep prefilter and size parity\n";

    [Fact]
    public void Parse_QuietCommitThenOneline_TheLineWhoseSubjectTheCommandGaveIsTheCommit()
    {
        var commits = GitOutputParser.Parse(Command, Output, isError: false).Where(f => f.Kind == "commit").ToList();

        commits.Should().ContainSingle();
        commits[0].Sha.Should().Be("125a253");
        commits[0].Subject.Should().Be("fix(sem): report skipped dependents scans, include binary-flagged files");
    }

    [Fact]
    public void Parse_OnelineWithoutCommitting_NoCommit()
    {
        GitOutputParser.Parse("git log --oneline -3", Output, isError: false).Should().NotContain(f => f.Kind == "commit");
    }

    [Fact]
    public void Parse_PrintedCommitLine_OnelineNotReadAgain()
    {
        var output = "[main 125a253] fix(sem): report skipped dependents scans, include binary-flagged files\n 1 file changed\n" + Output;
        GitOutputParser.Parse(Command.Replace(" -q", "", StringComparison.Ordinal), output, isError: false).Where(f => f.Kind == "commit").Should().ContainSingle();
    }

    [Fact]
    public void QuietCommits_OlderCommitsWhoseSubjectsTheCommandDoesNotName_Ignored()
    {
        GitOutputParser.QuietCommits("git commit -q -m \"short\" && git log --oneline", "abcdef1 short\n1234567 something else entirely\n").Should().BeEmpty();
    }
}
