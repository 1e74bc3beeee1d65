using Attribution.Common;

namespace Attribution.Tests.Common;

public sealed class CiStatusTests
{
    // Every state GitHub documents for check runs, check suites, workflow runs and jobs.
    [Theory]
    [InlineData("completed", "success", "success")]
    [InlineData("completed", "neutral", "skipped")]
    [InlineData("completed", "skipped", "skipped")]
    [InlineData("completed", "failure", "failure")]
    [InlineData("completed", "timed_out", "failure")]
    [InlineData("completed", "action_required", "failure")]
    [InlineData("completed", "startup_failure", "failure")]
    [InlineData("completed", "cancelled", "cancelled")]
    [InlineData("completed", "stale", "cancelled")]
    [InlineData("completed", null, "pending")]
    [InlineData("in_progress", null, "in_progress")]
    [InlineData("queued", null, "pending")]
    [InlineData("requested", null, "pending")]
    [InlineData("waiting", null, "pending")]
    [InlineData("pending", null, "pending")]
    [InlineData(null, null, "pending")]
    public void FromGitHub_EveryState_Maps(string? status, string? conclusion, string expected)
    {
        CiStatus.FromGitHub(status, conclusion).Should().Be(expected);
    }

    [Theory]
    [InlineData("success", "success")]
    [InlineData("failure", "failure")]
    [InlineData("error", "failure")]
    [InlineData("pending", "pending")]
    public void FromGitHubState_EveryCommitStatus_Maps(string state, string expected)
    {
        CiStatus.FromGitHubState(state).Should().Be(expected);
    }

    [Theory]
    [InlineData("success", "success")]
    [InlineData("failed", "failure")]
    [InlineData("canceled", "cancelled")]
    [InlineData("canceling", "cancelled")]
    [InlineData("skipped", "skipped")]
    [InlineData("running", "in_progress")]
    [InlineData("created", "pending")]
    [InlineData("waiting_for_resource", "pending")]
    [InlineData("preparing", "pending")]
    [InlineData("pending", "pending")]
    [InlineData("scheduled", "pending")]
    [InlineData("manual", "pending")]
    public void FromGitLab_EveryState_Maps(string status, string expected)
    {
        CiStatus.FromGitLab(status).Should().Be(expected);
    }

    [Fact]
    public void Rank_OrdersPendingBeforeRunningBeforeEveryFinalState()
    {
        CiStatus.All.Select(s => (s, CiStatus.Rank(s))).Should().BeEquivalentTo(new[]
        {
            ("success", 2), ("failure", 2), ("cancelled", 2), ("skipped", 2), ("in_progress", 1), ("pending", 0),
        });
        CiStatus.All.Where(CiStatus.IsFinal).Should().BeEquivalentTo("success", "failure", "cancelled", "skipped");
    }

    private static CiRunState Run(string workflow, string status, int minute, string provider = "github-actions") =>
        new(provider, workflow, workflow + minute, status, new DateTimeOffset(2026, 11, 1, 0, minute, 0, TimeSpan.Zero));

    [Fact]
    public void Of_RerunPassedAfterFailure_IsSuccess()
    {
        CiStatus.Of([Run("build", "failure", 1), Run("build", "success", 2)]).Should().Be("success");
    }

    [Fact]
    public void Of_RerunFailedAfterSuccess_IsFailure()
    {
        CiStatus.Of([Run("build", "success", 1), Run("build", "failure", 2)]).Should().Be("failure");
    }

    [Fact]
    public void Of_OneWorkflowFailingAnotherPending_IsFailure()
    {
        CiStatus.Of([Run("build", "in_progress", 1), Run("lint", "failure", 2)]).Should().Be("failure");
    }

    [Fact]
    public void Of_SuccessAndPending_IsPendingWhicheverComesFirst()
    {
        CiStatus.Of([Run("build", "success", 1), Run("e2e", "in_progress", 2)]).Should().Be("pending");
        CiStatus.Of([Run("e2e", "pending", 1), Run("build", "success", 2)]).Should().Be("pending");
    }

    [Fact]
    public void Of_SuccessWithSkippedOrNeutral_IsSuccess()
    {
        CiStatus.Of([Run("build", "success", 1), Run("docs", CiStatus.FromGitHub("completed", "neutral"), 2)]).Should().Be("success");
    }

    [Fact]
    public void Of_OnlyCancelledAndSkipped_IsCancelled()
    {
        CiStatus.Of([Run("build", "cancelled", 1), Run("docs", "skipped", 2)]).Should().Be("cancelled");
        CiStatus.Of([Run("docs", "skipped", 2)]).Should().Be("skipped");
    }

    [Fact]
    public void Of_SameWorkflowNameOfAnotherProvider_CountsSeparately()
    {
        CiStatus.Of([Run("build", "failure", 1, "gitlab-ci"), Run("build", "success", 2)]).Should().Be("failure");
    }

    [Fact]
    public void Of_NoRuns_IsNull()
    {
        CiStatus.Of([]).Should().BeNull();
    }

    [Fact]
    public void OfPullRequest_MergeCommitRan_JudgesTheMergeCommit()
    {
        CiStatus.OfPullRequest([Run("build", "success", 3)], [Run("build", "failure", 1)]).Should().Be("success");
        CiStatus.OfPullRequest([], [Run("build", "failure", 1)]).Should().Be("failure");
        CiStatus.OfPullRequest([], []).Should().BeNull();
    }

    [Fact]
    public void Combine_OrdersFailureThenPendingThenSuccess()
    {
        CiStatus.Combine(["success", null, "pending"]).Should().Be("pending");
        CiStatus.Combine(["success", "failure", "pending"]).Should().Be("failure");
        CiStatus.Combine(["success", "skipped"]).Should().Be("success");
        CiStatus.Combine([null, null]).Should().BeNull();
    }
}
