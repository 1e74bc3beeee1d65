using Attribution.Sessions;

namespace Attribution.Tests.Sessions;

public sealed class GitOutputParserTests
{
    [Fact]
    public void Parse_RootCommit_ReadsBranchShaSubject()
    {
        var facts = GitOutputParser.Parse("git commit -m init", "[main (root-commit) 1a2b3c4] Initial commit\n 3 files changed", false);

        facts.Should().Equal(new GitFact("commit", Sha: "1a2b3c4", Branch: "main", Subject: "Initial commit"));
    }

    [Fact]
    public void Parse_CommitThenFailedPush_CommitStillCounts()
    {
        const string output = "[feat/a 9f8e7d6] Add a\n 1 file changed\nTo github.com:o/r.git\n ! [rejected]        feat/a -> feat/a (fetch first)\nerror: failed to push some refs";

        var facts = GitOutputParser.Parse("git add . && git commit -m 'Add a' && git push", output, isError: true);

        facts.Should().Equal(new GitFact("commit", Sha: "9f8e7d6", Branch: "feat/a", Subject: "Add a"));
    }

    [Fact]
    public void Parse_FailedCommitWithoutCommitLine_NoCommit()
    {
        var facts = GitOutputParser.Parse("git commit -m x", "Exit code 1\nOn branch main\nnothing to commit, working tree clean", isError: true);

        facts.Should().BeEmpty();
    }

    [Fact]
    public void Parse_CommitLineFromNonCommitCommand_Ignored()
    {
        var facts = GitOutputParser.Parse("cat notes.txt", "[main abc1234] looks like a commit", false);

        facts.Should().BeEmpty();
    }

    [Fact]
    public void Parse_PushNewBranchWithUpstream_BranchAndPush()
    {
        const string output = "To https://github.com/o/r.git\n * [new branch]      feature/login -> feature/login\nbranch 'feature/login' set up to track 'origin/feature/login'.";

        var facts = GitOutputParser.Parse("git push -u origin feature/login", output, false);

        facts.Should().Equal(new GitFact("branch", Branch: "feature/login"), new GitFact("push", Branch: "feature/login"));
    }

    [Fact]
    public void Parse_ForcePushUpdate_ReadsNewSha()
    {
        var facts = GitOutputParser.Parse("git push --force-with-lease", " + 1111111...2222222 topic -> topic (forced update)", false);

        facts.Should().Equal(new GitFact("push", Sha: "2222222", Branch: "topic"));
    }

    [Theory]
    [InlineData("git checkout -b fix/bug-1", "fix/bug-1")]
    [InlineData("git switch -c feat/x && git status", "feat/x")]
    [InlineData("cd repo; git -C sub checkout -B release/2", "release/2")]
    public void Parse_CreateBranchCommands_BranchEvent(string command, string branch)
    {
        GitOutputParser.Parse(command, "Switched to a new branch", false).Should().Equal(new GitFact("branch", Branch: branch));
    }

    [Fact]
    public void Parse_CreateBranchThatFailed_NoBranch()
    {
        GitOutputParser.Parse("git checkout -b main", "fatal: a branch named 'main' already exists", true).Should().BeEmpty();
    }

    [Fact]
    public void Parse_GhPrCreate_ReadsUrlAndNumber()
    {
        var facts = GitOutputParser.Parse("gh pr create --title x --body y", "Creating pull request for feat/x into main in o/r\n\nhttps://github.com/o/r/pull/42\n", false);

        facts.Should().Equal(new GitFact("pr", Url: "https://github.com/o/r/pull/42", PrNumber: 42));
    }

    [Fact]
    public void Parse_GlabMrCreate_ReadsMergeRequestUrl()
    {
        var facts = GitOutputParser.Parse("glab mr create --fill", "https://gitlab.com/g/sub/p/-/merge_requests/7", false);

        facts.Should().Equal(new GitFact("pr", Url: "https://gitlab.com/g/sub/p/-/merge_requests/7", PrNumber: 7));
    }

    [Fact]
    public void Parse_DetachedHead_CommitWithoutBranch()
    {
        GitOutputParser.Parse("git commit -m y", "[detached HEAD 0badc0f] y", false)
            .Should().Equal(new GitFact("commit", Sha: "0badc0f", Branch: null, Subject: "y"));
    }
}
