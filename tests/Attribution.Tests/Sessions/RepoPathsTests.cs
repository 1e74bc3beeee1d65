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

    [Fact]
    public void Cache_ManyAndHugeFolders_StaysBounded()
    {
        var paths = new RepoPaths();
        var huge = "/nonexistent-attribution-test/" + new string('x', 1024 * 1024);

        for (var i = 0; i < 10; i++)
        {
            paths.Relative(huge + i, huge + i + "/a.txt").Should().Be("a.txt");
        }

        paths.CachedFolders.Should().Be(0, "a megabyte cwd is resolved, never kept");
        for (var i = 0; i < RepoPaths.MaxCachedFolders * 3; i++)
        {
            paths.RootsOf($"/nonexistent-attribution-test/p{i}").Should().NotBeEmpty();
        }

        paths.CachedFolders.Should().BeInRange(1, RepoPaths.MaxCachedFolders);
        paths.Relative("/nonexistent-attribution-test/p1", "/nonexistent-attribution-test/p1/src/x.cs").Should().Be("src/x.cs");
    }
}
