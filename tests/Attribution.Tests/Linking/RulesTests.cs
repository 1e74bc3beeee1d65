using Attribution.Linking;

namespace Attribution.Tests.Linking;

public sealed class RulesTests
{
    private static readonly DateTimeOffset T = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Fix crash on start", true)]
    [InlineData("fix(api): null check", true)]
    [InlineData("HOTFIX: login", true)]
    [InlineData("Bug 123 resolved", true)]
    [InlineData("Patch the regression", true)]
    [InlineData("prefix handling", false)]
    [InlineData("Debugger support", false)]
    [InlineData("dispatcher cleanup", false)]
    [InlineData(null, false)]
    public void IsFixSubject_Words_MatchWholeWordsOnly(string? subject, bool expected)
    {
        DownstreamRules.IsFixSubject(subject).Should().Be(expected);
    }

    [Fact]
    public void Classify_RevertNamingTarget_Revert()
    {
        DownstreamRules.Classify("Revert x", "abc1234", ["abc1234ffff"], false).Should().Be("revert");
    }

    [Fact]
    public void Classify_RevertNamingOtherCommit_FallsBackToSubject()
    {
        DownstreamRules.Classify("Revert x", "9999999", ["abc1234ffff"], false).Should().Be("other");
    }

    [Fact]
    public void Classify_CommitOfMergedRevertPr_Revert()
    {
        DownstreamRules.Classify("Undo feature", null, ["abc"], true).Should().Be("revert");
    }

    [Theory]
    [InlineData("src/app.py", "src/app.py")]
    [InlineData("./src/app.py", "src/app.py")]
    [InlineData("/home/me/repo/.worktrees/2/src/app.py", "src/app.py")]
    [InlineData("C:\\work\\repo\\.worktrees\\feat\\src\\app.py", "src/app.py")]
    [InlineData("/home/me/repo/pkg/a/app.py", "pkg/a/app.py")]
    [InlineData("a/app.py", "pkg/a/app.py")]
    public void RepoPathIndex_SessionPath_RepositoryPath(string input, string expected)
    {
        new RepoPathIndex(["src/app.py", "pkg/a/app.py", "pkg/b/app.py", "README.md"]).Resolve(input).Should().Be(expected);
    }

    [Theory]
    [InlineData("app.py")]
    [InlineData("/home/me/other/main.go")]
    [InlineData("")]
    public void RepoPathIndex_AmbiguousOrUnknown_Null(string input)
    {
        new RepoPathIndex(["src/app.py", "pkg/a/app.py", "pkg/b/app.py"]).Resolve(input).Should().BeNull();
    }

    [Fact]
    public void Ratio_SessionLinesInAddedLines_Share()
    {
        TextMatcher.Match(["alpha = build(config)\nbeta = build(other)\n}"], ["  alpha = build(config)", "unrelated_line()"]).Should().Be((0.5, 1));
    }

    [Fact]
    public void Ratio_OnlyTrivialLines_Unknown()
    {
        TextMatcher.Ratio(["}\n)\nelse:"], ["}"]).Should().BeNull();
    }

    [Theory]
    [InlineData("Claude-Session", "https://claude.ai/code/session_01AB", "01AB")]
    [InlineData("Codex-Session", "abc-123", "abc-123")]
    public void SessionTrailers_Value_YieldsSessionId(string key, string value, string id)
    {
        SessionTrailers.Candidates(key, value).Should().Contain(id);
    }
}
