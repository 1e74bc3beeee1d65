using Attribution.Common;
using Attribution.Store;
using Attribution.Yield;
using Attribution.Tests.Hosting;

namespace Attribution.Tests.Yield;

/// <summary>The pure parts of the team report: CI first pass, developers, trend buckets and the trend chart's gaps.</summary>
public sealed class TeamCalculatorTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 18, 10, 0, 0, TimeSpan.Zero); // a Wednesday

    private static CiRunState Run(string workflow, string status, int minutes, string provider = "github-actions") =>
        new(provider, workflow, workflow + minutes, status, T.AddMinutes(minutes));

    [Fact]
    public void FirstPass_IsTheOldestFinishedRunOfEachWorkflow()
    {
        CiStatus.FirstPass([Run("build", "failure", 1), Run("build", "success", 9)]).Should().BeFalse("the re-run passed, the first try did not");
        CiStatus.FirstPass([Run("build", "success", 1), Run("build", "failure", 9)]).Should().BeTrue();
        CiStatus.FirstPass([Run("build", "success", 1), Run("test", "failure", 2)]).Should().BeFalse("every workflow must pass its first try");
        CiStatus.FirstPass([Run("build", "cancelled", 1), Run("build", "success", 9)]).Should().BeTrue("a cancelled run was not a try");
        CiStatus.FirstPass([Run("build", "pending", 1), Run("lint", "skipped", 2)]).Should().BeNull();
        CiStatus.FirstPass([]).Should().BeNull();
        CiStatus.FirstPass([Run("build", "success", 1) with { Attempt = 2 }]).Should().BeFalse("the run passed only when re-run: its first attempt did not");
    }

    [Fact]
    public void DeveloperOf_IsTheAuthorOfMostCommits_KeyedByEmail()
    {
        var d = TeamCalculator.DeveloperOf(
        [
            new SessionAuthorRow { SessionId = "s", AuthorName = "Bob", AuthorEmail = "bob@x.io", Commits = 1 },
            new SessionAuthorRow { SessionId = "s", AuthorName = "Ann", AuthorEmail = "Ann@X.io", Commits = 2 },
            new SessionAuthorRow { SessionId = "s", AuthorName = "Ann B", AuthorEmail = "ann@x.io", Commits = 1 },
        ]);
        d!.Key.Should().Be("ann@x.io", "one email in two spellings is one developer");
        TeamCalculator.Matches(d, "ANN@x.io").Should().BeTrue();
        TeamCalculator.Matches(d, "ann").Should().BeTrue("a name matches too");
        TeamCalculator.Matches(d, "bob@x.io").Should().BeFalse();
        TeamCalculator.DeveloperOf([new SessionAuthorRow { SessionId = "s", AuthorName = " ", AuthorEmail = null, Commits = 3 }]).Should().BeNull();
    }

    [Fact]
    public void Buckets_WeeksFromMonday_MonthsFromThe1st_AtMostTheNewestMax()
    {
        var weeks = TeamCalculator.Buckets(T.AddDays(-10), T, TeamCalculator.Week);
        weeks.Select(b => b.Start.Day).Should().Equal(2, 9, 16);
        weeks.Should().OnlyContain(b => b.Start.DayOfWeek == DayOfWeek.Monday);

        TeamCalculator.Buckets(T.AddDays(-40), T, TeamCalculator.Month).Select(b => b.Label).Should().Equal("Oct 2026", "Nov 2026");
        TeamCalculator.BucketSize(null, T.AddDays(-100), T).Should().Be(TeamCalculator.Week);
        TeamCalculator.BucketSize(null, T.AddDays(-400), T).Should().Be(TeamCalculator.Month);

        var long_ = TeamCalculator.Buckets(T.AddYears(-100), T, TeamCalculator.Week);
        long_.Should().HaveCount(TeamCalculator.MaxBuckets);
        long_[^1].Start.Should().Be(TeamCalculator.Floor(T, TeamCalculator.Week), "the newest buckets are kept");
    }

    [Fact]
    public void TrendChart_LeavesAGapWhereABucketHasNoFigure_AndScalesSharesToOne()
    {
        var buckets = TeamCalculator.Buckets(T.AddDays(-21), T, TeamCalculator.Week);
        YieldTotals Point(double? rate) => new() { StillGoodRate = rate, ByOutcome = new Dictionary<string, int>() };
        var series = new TrendSeries(null, null, [Point(0.5), Point(null), Point(1), Point(0.25)]);

        var chart = TrendChart.Build(buckets, [series], TrendMetric.Find("still-good")!);

        var line = chart.Lines.Single();
        line.Segments.Select(s => s.Count).Should().Equal(1, 2);
        line.Marks.Select(m => m.Value).Should().Equal(0.5, 1, 0.25);
        line.Marks.ElementAt(1).Y.Should().Be(chart.Frame.PlotTop, "100 % is the top of the plot");
        chart.YTicks.Select(t => t.Text).Should().Equal("0 %", "25 %", "50 %", "75 %", "100 %");
    }

    [Fact]
    public void TrendChart_LastLabelNearTheRightEdge_EndsThereInsteadOfBeingCut()
    {
        var buckets = TeamCalculator.Buckets(T.AddDays(-7 * 42), T, TeamCalculator.Week); // 43 weeks: a label every 7th, the last on the last bucket
        YieldTotals Point() => new() { StillGoodRate = 0.5, ByOutcome = new Dictionary<string, int>() };
        var chart = TrendChart.Build(buckets, [new TrendSeries(null, null, buckets.Select(_ => Point()).ToList())], TrendMetric.All[0]);

        var last = chart.XLabels[^1];
        last.Text.Should().Be(buckets[^1].Label);
        last.Anchor.Should().Be("end", "a centred 11-character label would run past the chart's right edge");
        chart.XLabels[0].Anchor.Should().Be("middle");
    }

    [Fact]
    public void YieldTimeline_AllTime_EndsAtTheNewestSession()
    {
        var now = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        YieldCalculator.Computed Session(DateTimeOffset started) => new(
            new YieldSessionRow { SessionId = started.ToString("O"), Agent = "a", Outcome = OutcomeClass.Merged, StartedAt = started }, [], false, 0, 0);

        var buckets = YieldCalculator.Timeline([Session(now.AddDays(-400)), Session(now.AddDays(-300))], new Since(Since.All, null), now);

        buckets[^1].Start.Should().BeOnOrBefore(now.AddDays(-300)).And.BeAfter(now.AddDays(-308), "all time ends at the data, not today");
        YieldCalculator.Timeline([Session(now.AddDays(-40))], Since.Parse("60d", now)!, now)[^1].Start.Should().Be(now, "a period from a start runs to now");
    }
}
