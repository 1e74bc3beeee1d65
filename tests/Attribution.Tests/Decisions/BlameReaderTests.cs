using Attribution.Git;

namespace Attribution.Tests.Decisions;

public sealed class BlameReaderTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    private readonly ScratchRepository _git = new();
    private readonly BlameReader _blame = new();
    private readonly string _first;
    private readonly string _second;
    private readonly string _third;
    private readonly string _fix;

    public BlameReaderTests()
    {
        _first = _git.Commit("Add service", T0, ("app/service.py", ScratchRepository.Lines("import os", "def f(user):", "    return user.name", "", "x = 1")));
        _second = _git.Commit("Use display name", T0.AddDays(1),
            ("app/service.py", ScratchRepository.Lines("import os", "def f(user):", "    return user.display_name", "", "x = 1")));
        _third = _git.Commit("Add header", T0.AddDays(2),
            ("app/service.py", ScratchRepository.Lines("# header", "import os", "def f(user):", "    return user.display_name", "", "x = 1")));
        _fix = _git.Commit("Fix crash on anonymous users", T0.AddDays(3),
            ("app/service.py", ScratchRepository.Lines("# header", "import os", "def f(user):", "    return user.display_name if user else ''", "", "x = 1")));
    }

    [Fact]
    public void Blame_LineRewrittenThenShifted_NamesRewritingCommitAndItsLine()
    {
        var line = _blame.Blame(_git.Path, _third, "app/service.py", 4);

        line.Should().Be(new BlameLine(_second, "app/service.py", 3, 4));
    }

    [Fact]
    public void Blame_UntouchedLine_NamesFirstCommit()
    {
        _blame.Blame(_git.Path, _fix, "app/service.py", 6)!.OriginSha.Should().Be(_first);
    }

    [Fact]
    public void Blame_AtOlderCommit_SeesHistoryAsOfThatCommit()
    {
        _blame.Blame(_git.Path, _first, "app/service.py", 3)!.OriginSha.Should().Be(_first);
    }

    [Theory]
    [InlineData("app/service.py", 99)]
    [InlineData("app/missing.py", 1)]
    public void Blame_LineOrFileAbsent_ReturnsNull(string path, int line) =>
        _blame.Blame(_git.Path, _fix, path, line).Should().BeNull();

    [Fact]
    public void RemovedLineOrigins_FixRewritingLine_BlamesTheRemovedLine()
    {
        var origins = _blame.RemovedLineOrigins(_git.Path, _fix, "app/service.py");

        origins.Should().Equal(new BlameLine(_second, "app/service.py", 3, 4));
    }

    [Fact]
    public void ResolveCommit_NoCommitish_DefaultBranchHead()
    {
        _blame.ResolveCommit(_git.Path, null, "main").Should().Be(_fix);
        _blame.ResolveCommit(_git.Path, _second[..8], null).Should().Be(_second);
    }

    [Fact]
    public void ResolveCommit_NotARepository_ReturnsNull() =>
        _blame.ResolveCommit(Path.GetTempPath(), null, null).Should().BeNull();

    [Fact]
    public void ListFiles_Commit_ListsTreePaths() =>
        _blame.ListFiles(_git.Path, _first, CancellationToken.None).Should().Equal("app/service.py");

    public void Dispose() => _git.Dispose();
}
