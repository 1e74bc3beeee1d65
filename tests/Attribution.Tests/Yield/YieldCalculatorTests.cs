using Attribution.Store;
using Attribution.Yield;
using Attribution.Tests.Hosting;

namespace Attribution.Tests.Yield;

public sealed class YieldCalculatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private static SessionStatRow Stats(string? repo = "o/r", long commits = 1, DateTimeOffset? firstCommit = null, long reverted = 0, DateTimeOffset? revertTs = null) => new()
    {
        SessionId = "s",
        Agent = "claude-code",
        RepoSlug = repo,
        StartedTs = Now.AddDays(-30),
        Commits = commits,
        FirstCommitTs = firstCommit ?? Now.AddDays(-30),
        RevertedCommits = reverted,
        FirstRevertTs = revertTs,
    };

    private static PrLinkRow Pr(string state, DateTimeOffset? merged = null, DateTimeOffset? reverted = null, long number = 1) => new()
    {
        SessionId = "s",
        Provider = "github",
        RepoSlug = "o/r",
        PrNumber = number,
        State = state,
        MergedAt = merged,
        RevertedAt = reverted,
    };

    [Theory]
    [InlineData(false, 3, 1, 0, 0, false, "no-repo")]
    [InlineData(true, 1, 1, 0, 0, true, "reverted")]
    [InlineData(true, 1, 1, 1, 0, false, "merged")]
    [InlineData(true, 1, 0, 1, 0, false, "in-review")]
    [InlineData(true, 2, 0, 0, 0, false, "committed")]
    [InlineData(true, 2, 0, 0, 1, false, "abandoned")]
    [InlineData(true, 0, 0, 0, 0, false, "abandoned")]
    public void Classify_Evidence_GivesDocumentedClass(bool hasRepo, int commits, int merged, int open, int closed, bool reverted, string expected) =>
        OutcomeClass.Classify(hasRepo, commits, merged, open, closed, reverted).Should().Be(expected);

    [Fact]
    public void Compute_FixTouchInsideWindow_IsNotStillGood()
    {
        var merged = Now.AddDays(-20);

        var result = YieldCalculator.Compute(Stats(), [Pr("merged", merged)], [merged.AddDays(13)], [], Now, 14);

        result.Row.Outcome.Should().Be("merged");
        result.Row.StillGood.Should().BeFalse();
    }

    [Fact]
    public void Compute_FixTouchAfterWindow_IsStillGood()
    {
        var merged = Now.AddDays(-20);

        var result = YieldCalculator.Compute(Stats(), [Pr("merged", merged)], [merged.AddDays(15)], [], Now, 14);

        result.Row.StillGood.Should().BeTrue();
    }

    [Fact]
    public void Compute_MergedTooRecently_HasNoVerdictYet()
    {
        var result = YieldCalculator.Compute(Stats(), [Pr("merged", Now.AddDays(-3))], [], [], Now, 14);

        result.Row.StillGood.Should().BeNull();
        result.StillGoodEligible.Should().BeFalse();
    }

    [Fact]
    public void Compute_CommitRevertedInsideWindow_IsRevertedAndNotStillGood()
    {
        var result = YieldCalculator.Compute(Stats(reverted: 1, revertTs: Now.AddDays(-25)), [], [], [], Now, 14);

        result.Row.Outcome.Should().Be("reverted");
        result.Row.StillGood.Should().BeFalse();
    }

    [Fact]
    public void Totals_SamePrFromTwoSessions_CountsItOnce()
    {
        var merged = Now.AddDays(-20);
        var a = YieldCalculator.Compute(Stats() with { SessionId = "a", CostUsd = 1 }, [Pr("merged", merged) with { SessionId = "a" }], [], [], Now, 14);
        var b = YieldCalculator.Compute(Stats() with { SessionId = "b", CostUsd = 3 }, [Pr("merged", merged) with { SessionId = "b" }], [], [], Now, 14);

        var totals = YieldCalculator.Totals([a, b]);

        totals.PrsMerged.Should().Be(1);
        totals.CostPerMergedPr.Should().Be(4);
        totals.ByOutcome["merged"].Should().Be(2);
    }

    [Fact]
    public void Sort_UnknownKey_FallsBackToNewestFirst() => YieldCalculator.NormalizeSort("drop table").Should().Be("-started");

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(3, 5)]
    [InlineData(7, 10)]
    [InlineData(11, 20)]
    [InlineData(120, 200)]
    public void NiceMax_Value_RoundsUpTo125(int value, int expected) => OutcomeChart.NiceMax(value).Should().Be(expected);

    [Fact]
    public void Chart_Buckets_OneSegmentPerNonEmptyClassStackedToScale()
    {
        var bucket = new YieldOutcomeBucket(Now, "Nov 20", OutcomeClass.All.ToDictionary(o => o, o => o == "merged" ? 3 : o == "reverted" ? 2 : 0));

        var chart = OutcomeChart.Build([bucket]);

        chart.Segments.Should().HaveCount(2);
        chart.Max.Should().Be(5);
        chart.Segments.Sum(s => s.Height).Should().BeApproximately(chart.Frame.PlotHeight, 0.05);
        chart.Segments[0].Outcome.Should().Be("merged");
        chart.Segments[0].Y.Should().BeGreaterThan(chart.Segments[1].Y, "merged is drawn at the bottom of the stack");
    }
}
