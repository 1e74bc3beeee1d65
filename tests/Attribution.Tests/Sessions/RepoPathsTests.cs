using Attribution.Sessions;
using LibGit2Sharp;

namespace Attribution.Tests.Sessions;

public sealed class RepoPathsTests
{
    [Fact]
    public void Relative_MissingWorktreeFolder_StripsWorktreeRoot()
    {
        new RepoPaths().Relative("/Users/alex/cli/.worktrees/2/cmd", "/Users/alex/cli/.worktrees/2/cmd/main.go").Should().Be("cmd/main.go");
    }

    [Fact]
    public void Relative_MissingWorktree_PathInMainCheckoutMapsToo()
    {
        new RepoPaths().Relative("/Users/alex/cli/.claude/worktrees/x", "/Users/alex/cli/README.md").Should().Be("README.md");
    }

    [Fact]
    public void Relative_PathOutsideRoot_Null()
    {
        new RepoPaths().Relative("/project", "/etc/hosts").Should().BeNull();
    }

    [Fact]
    public void Relative_LocalSubfolderOfGitRepository_RelativeToGitRoot()
    {
        var root = Directory.CreateTempSubdirectory("attribution-repo-").FullName;
        try
        {
            Repository.Init(root);
            var sub = Directory.CreateDirectory(Path.Combine(root, "src", "app")).FullName;

            new RepoPaths().Relative(sub, Path.Combine(sub, "main.cs")).Should().Be("src/app/main.cs");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Absolute_RelativePatchPath_JoinedToWorkdir()
    {
        RepoPaths.Absolute("/w/p/", "./src/a.rs").Should().Be("/w/p/src/a.rs");
    }
}
