using Attribution.Api;
using Attribution.Reports;
using Attribution.Tests.Hosting;

namespace Attribution.Tests.Reports;

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
