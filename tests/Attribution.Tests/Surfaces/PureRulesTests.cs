using Attribution.Api;
using Attribution.Store;

namespace Attribution.Tests.Surfaces;

public sealed class SinceParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("30d", "2026-10-26T12:00:00Z")]
    [InlineData("12h", "2026-11-25T00:00:00Z")]
    [InlineData("45m", "2026-11-25T11:15:00Z")]
    [InlineData("2w", "2026-11-11T12:00:00Z")]
    [InlineData("7D", "2026-11-18T12:00:00Z")]
    [InlineData("2026-11-01", "2026-11-01T00:00:00Z")]
    [InlineData("2026-11-01T08:30:00Z", "2026-11-01T08:30:00Z")]
    [InlineData("2026-11-01T08:30:00+02:00", "2026-11-01T06:30:00Z")]
    public void TryParse_Accepted_GivesTheInstant(string text, string expected)
    {
        SinceParser.TryParse(text, Now, out var since).Should().BeTrue();

        since.Should().Be(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("30")]
    [InlineData("d")]
    [InlineData("0d")]
    [InlineData("-3d")]
    [InlineData("3y")]
    [InlineData("1.5d")]
    [InlineData("99999999d")]
    [InlineData("yesterday")]
    [InlineData("2026")]
    [InlineData("2026-13-01")]
    public void TryParse_Rejected_ReturnsFalse(string text)
    {
        SinceParser.TryParse(text, Now, out _).Should().BeFalse();
    }
}

public sealed class ShaTextTests
{
    [Theory]
    [InlineData("abcdef1", true)]
    [InlineData("ABCDEF1", true)]
    [InlineData("0123456789abcdef0123456789abcdef01234567", true)]
    [InlineData("abcdef", false)]
    [InlineData("0123456789abcdef0123456789abcdef012345678", false)]
    [InlineData("xyz", false)]
    [InlineData("abcdefg", false)]
    [InlineData("../abcdef", false)]
    [InlineData("abcdef1%", false)]
    public void IsValid_SevenToFortyHexOnly(string text, bool valid)
    {
        ShaText.IsValid(text).Should().Be(valid);
    }
}

public sealed class DownstreamRulesTests
{
    private static readonly DateTimeOffset Committed = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static TouchRow Touch(string sha, string kind, double daysAfter) =>
        new() { TouchSha = sha, Classification = kind, TouchedTs = Committed.AddDays(daysAfter) };

    [Fact]
    public void StillGood_OldEnoughWithOnlyOtherTouches_IsTrue()
    {
        DownstreamRules.StillGood(Committed, [Touch("a", "other", 1)], Committed.AddDays(20)).Should().BeTrue();
    }

    [Fact]
    public void StillGood_FixWithinWindow_IsFalseEvenWhenYoung()
    {
        DownstreamRules.StillGood(Committed, [Touch("a", "fix", 1)], Committed.AddDays(2)).Should().BeFalse();
    }

    [Fact]
    public void StillGood_RevertAfterWindow_IsTrue()
    {
        DownstreamRules.StillGood(Committed, [Touch("a", "revert", 15)], Committed.AddDays(20)).Should().BeTrue();
    }

    [Fact]
    public void StillGood_YoungWithoutBadTouch_IsNull()
    {
        DownstreamRules.StillGood(Committed, [Touch("a", "other", 1)], Committed.AddDays(13.9)).Should().BeNull();
    }

    [Fact]
    public void StillGood_UnknownTime_IsNull()
    {
        DownstreamRules.StillGood(null, [], Committed).Should().BeNull();
    }

    [Fact]
    public void Summarise_SameShaTwice_CountsOnceAsRevert()
    {
        var summary = DownstreamRules.Summarise(Committed, [Touch("r", "other", 2), Touch("r", "revert", 2), Touch("f", "fix", 1)], Committed.AddDays(30));

        summary.Should().Be(new DownstreamDocument(2, 1, 1, "r", Committed.AddDays(2), 14, false));
    }
}

public sealed class CiStatusRollupTests
{
    private static CiRunRow Run(string workflow, string status, int minute) => new()
    {
        Provider = "github-actions",
        RunId = workflow + minute,
        WorkflowName = workflow,
        Status = status,
        CompletedTs = new DateTimeOffset(2026, 11, 1, 0, minute, 0, TimeSpan.Zero),
    };

    [Fact]
    public void Of_RerunPassedAfterFailure_IsSuccess()
    {
        CiStatusRollup.Of([Run("build", "failure", 1), Run("build", "success", 2)]).Should().Be("success");
    }

    [Fact]
    public void Of_OneWorkflowFailing_IsFailure()
    {
        CiStatusRollup.Of([Run("build", "success", 1), Run("lint", "failure", 2)]).Should().Be("failure");
    }

    [Fact]
    public void Of_OnePending_IsPending()
    {
        CiStatusRollup.Of([Run("build", "success", 1), Run("e2e", "in_progress", 2)]).Should().Be("pending");
    }

    [Fact]
    public void Of_NoRuns_IsNull()
    {
        CiStatusRollup.Of([]).Should().BeNull();
    }
}

public sealed class AttributionSummariesTests
{
    [Fact]
    public void Commit_InferredLinkWithUnknownCost_SaysConfidenceAndCostUnknown()
    {
        var session = new CommitSessionItem("s-1", "codex", null, "inferred-by-touch", 0.72, null, default);

        AttributionSummaries.Commit(null, null, [session]).Should().Be(
            "this commit came from session s-1 (inferred-by-touch, confidence 0.72, agent: codex, cost unknown)");
    }

    [Fact]
    public void Session_OpenPrWithoutCi_SaysSo()
    {
        var commits = new[] { new SessionCommitItem("6289e2b0000000000000000000000000000000000", "x", "authored", 1.0), new SessionCommitItem("a1b2c3d4", "y", "authored", 1.0) };
        var prs = new[] { new SessionPullRequestItem("github", "o/r", 7, "Try", "open", null, null, 0, 0, null) };

        AttributionSummaries.Session(commits, prs).Should().Be(
            "this session produced commits 6289e2b, a1b2c3d; open in PR #7 (Try); no CI runs known; not touched since");
    }
}
