using Attribution.Git;
using LibGit2Sharp;
using Microsoft.Extensions.Logging.Abstractions;

namespace Attribution.Tests.Git;

/// <summary>
/// The line reader's two ways of blaming a snapshot later than the work: from the work's first parent on (young work: a
/// short walk, only at the lines asked) and whole (old work: shared by every target of a pass). Both must count the same
/// lines, on a real repository built in the test.
/// </summary>
public sealed class LineOriginReaderTests
{
    private static readonly DateTimeOffset T0 = TestRepository.T0;
    private const string Old = "alpha\nbravo\ncharlie\ndelta\necho\nfoxtrot\n";

    [Theory]
    [InlineData(10)]   // young at the touch and at the head: blamed from the work on
    [InlineData(120)]  // old: blamed whole
    public void LaterSnapshots_YoungOrOldWork_SameCounts(int daysLater)
    {
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "app.py", Old);
        // Older history of the file, so a whole-file blame has something to walk.
        var older = Old;
        for (var i = 0; i < 5; i++)
        {
            older += $"extra_{i}\n";
            repo.Commit($"grow {i}", T0.AddHours(i + 1), "app.py", older);
        }

        const string work1 = "work_one = compute(1)\n";
        const string work2 = "work_two = compute(2)\n";
        const string work3 = "work_three = compute(3)\n";
        var withWork = older.Replace("charlie\n", "charlie\n" + work1 + work2 + work3, StringComparison.Ordinal);
        var work = repo.Commit("feat: compute", T0.AddDays(1), "app.py", withWork);
        var parent = repo.Repo.Lookup<Commit>(work).Parents.Single().Sha;

        // Something unrelated lands first, so the touch's parent is as young or old as the touch.
        repo.Commit("between", T0.AddDays(daysLater), "other.py", "y = 0\n");

        // A later commit by someone else rewrites two of the work's lines and one old line.
        var touched = withWork.Replace(work1, "work_one = compute(10)\n", StringComparison.Ordinal)
            .Replace(work3, "", StringComparison.Ordinal).Replace("echo\n", "ECHO\n", StringComparison.Ordinal);
        var touch = repo.Commit("Tune compute", T0.AddDays(1 + daysLater), "app.py", touched, "Other", "other@example.com");
        var head = repo.Commit("unrelated", T0.AddDays(2 + daysLater), "other.py", "x = 1\n");

        using var reader = LineOriginReader.Open(repo.Path, NullLogger.Instance)!;
        var origins = new HashSet<string>(StringComparer.Ordinal) { work };
        var texts = reader.AddedTexts([work]);

        reader.CountLines(work, work, parent, origins, ["app.py"]).Should().Be(3);
        reader.ChangedLines(touch, origins, ["app.py"], texts, parent).Should().Be(2);
        reader.ChangedLines(touch, origins, ["app.py"], texts).Should().Be(2, "without a boundary the touch's parent is blamed whole");
        reader.CountLines(head, work, parent, origins, ["app.py"], texts).Should().Be(1);
    }

    [Fact]
    public void Ranges_ConsecutiveLinesJoined()
    {
        LineOriginReader.Ranges([9, 3, 4, 5, 4, 12, 13, 0]).Should().Equal((3, 5), (9, 9), (12, 13));
        LineOriginReader.Ranges([]).Should().BeEmpty();
    }
}
