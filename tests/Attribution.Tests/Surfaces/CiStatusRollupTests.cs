using Attribution.Api;
using Attribution.Store;

namespace Attribution.Tests.Surfaces;

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
