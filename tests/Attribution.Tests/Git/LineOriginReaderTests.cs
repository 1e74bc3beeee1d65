using Attribution.Git;
using LibGit2Sharp;
using Microsoft.Extensions.Logging.Abstractions;

namespace Attribution.Tests.Git;

/// <summary>
/// The line reader on a real repository built in the test: the work's lines at its own snapshot, at a later head, and
/// those a later commit rewrote; and the linear stretch a head moved by, which lets a pass carry a head count forward.
/// </summary>
public sealed class LineOriginReaderTests
{
    private static readonly DateTimeOffset T0 = TestRepository.T0;
    private const string Old = "alpha\nbravo\ncharlie\ndelta\necho\nfoxtrot\n";

    [Fact]
    public void TipAt_AndSameTipAt_WalkTheFirstParentChainAsFarAsAsked()
    {
        using var repo = TestRepository.Create();
        var day1 = repo.Commit("one", T0.AddDays(1), "a.py", "1\n");
        var day5 = repo.Commit("five", T0.AddDays(5), "a.py", "5\n");
        var day9 = repo.Commit("nine", T0.AddDays(9), "a.py", "9\n");
        var head = repo.Commit("twelve", T0.AddDays(12), "a.py", "12\n");

        using (var reader = LineOriginReader.Open(repo.Path, NullLogger.Instance)!)
        {
            reader.TipAt(head, T0.AddDays(6)).Should().Be(day5);
            reader.TipAt(head, T0.AddDays(2)).Should().Be(day1, "the chain grows past what the first question walked");
            reader.TipAt(head, T0).Should().BeNull();
            reader.TipAt(head, T0.AddDays(13)).Should().Be(head);

            // Read at day 9's head, the tip at day 6 was day 5; the head moved on with younger commits only.
            reader.SameTipAt(day9, head, T0.AddDays(6)).Should().BeTrue();
            reader.SameTipAt(day9, head, T0.AddDays(10)).Should().BeFalse("the earlier head was committed before that horizon");
            reader.SameTipAt(day5, head, T0.AddDays(7)).Should().BeFalse("day 5's head was committed before the horizon: its tip was itself");
        }

        // A commit made after day 9 but dated before the horizon changes the tip at it.
        var backdated = repo.Commit("backdated", T0.AddDays(4), "a.py", "4\n");
        using (var reader = LineOriginReader.Open(repo.Path, NullLogger.Instance)!)
        {
            reader.TipAt(backdated, T0.AddDays(6)).Should().Be(backdated);
            reader.SameTipAt(head, backdated, T0.AddDays(6)).Should().BeFalse();
            reader.SameTipAt(day9, backdated, T0.AddDays(3)).Should().BeTrue("dated after day 3, it leaves the tip at day 3 where it was");
        }
    }

    [Theory]
    [InlineData(10)]
    [InlineData(120)]
    public void LaterSnapshots_CountTheWorksLinesOnly(int daysLater)
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
        reader.ChangedLines(touch, parent, origins, ["app.py"], texts).Should().Be(2);
        reader.ChangedLines(touch, parent, origins, ["app.py"]).Should().Be(2, "the text filter only spares blames");
        reader.CountLines(head, work, parent, origins, ["app.py"], texts).Should().Be(1);
        using (var bounded = LineOriginReader.Open(repo.Path, NullLogger.Instance, boundYoungWork: true)!)
        {
            // Blamed from the work on when young (10 days), whole when old (120): the same count.
            bounded.CountLines(head, work, parent, origins, ["app.py"], texts).Should().Be(1);
            bounded.ChangedLines(touch, parent, origins, ["app.py"], texts).Should().Be(2, "a touch's parent is blamed the same way");
        }

        reader.LinearSince(work, head).Should().HaveCount(3).And.EndWith(head);
        reader.LinearSince(work, head, max: 2).Should().BeNull("the head moved by more commits than asked for");
        reader.LinearSince(head, work).Should().BeNull("the head did not move forward from there");
    }
}
