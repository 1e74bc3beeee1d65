using Attribution.Store;
using Attribution.Yield;

namespace Attribution.Tests.Yield;

/// <summary>The yield row's CI is the one roll-up over the runs that judge the session (YieldStore picks a PR's merge commit, else its head).</summary>
public sealed class YieldCiTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private const string Linked = "1111111111111111111111111111111111111111";
    private const string Head = "2222222222222222222222222222222222222222";
    private const string Merge = "3333333333333333333333333333333333333333";

    private static SessionStatRow Stats() => new()
    {
        SessionId = "s",
        Agent = "claude-code",
        RepoSlug = "o/r",
        StartedTs = Now.AddDays(-30),
        Commits = 1,
        FirstCommitTs = Now.AddDays(-30),
    };

    private static PrLinkRow Pr(string? merge = Merge) => new()
    {
        SessionId = "s",
        Provider = "github",
        RepoSlug = "o/r",
        PrNumber = 7,
        State = merge is null ? "open" : "merged",
        MergedAt = merge is null ? null : Now.AddDays(-20),
    };

    private static SessionCiRunRow Run(string sha, string status, int minute, bool linked = false, string workflow = "build") => new()
    {
        SessionId = "s",
        RepoSlug = "o/r",
        CommitSha = sha,
        Via = linked ? "commit" : "pr",
        Provider = "github-actions",
        RunId = $"run:{sha[..4]}{minute}",
        WorkflowName = workflow,
        Status = status,
        CompletedTs = Now.AddDays(-25).AddMinutes(minute),
        UpdatedTs = Now.AddDays(-25).AddMinutes(minute),
    };

    [Fact]
    public void Compute_CiOnlyOnThePrHead_IsThePrsCiNotADash()
    {
        // The session's own commits never ran CI (they were pushed together); the PR head did: the API says "CI passed".
        var row = YieldCalculator.Compute(Stats(), [Pr(merge: null)], [], [Run(Head, "success", 1)], Now, 14).Row;

        row.CiStatus.Should().Be("success");
    }

    [Fact]
    public void Compute_PendingBesideSuccess_IsPendingAsTheApiSays()
    {
        var row = YieldCalculator.Compute(Stats(), [Pr()], [], [Run(Merge, "success", 1), Run(Merge, "in_progress", 2, workflow: "e2e")], Now, 14).Row;

        row.CiStatus.Should().Be("pending");
    }

    [Fact]
    public void Compute_NoPr_UsesTheLinkedCommitsAndCountsThemForThePassRate()
    {
        var computed = YieldCalculator.Compute(Stats(), [], [], [Run(Linked, "failure", 1, linked: true), Run(Linked, "success", 2, linked: true)], Now, 14);

        computed.Row.CiStatus.Should().Be("success", "the newest run of the workflow counts");
        computed.CiPassed.Should().Be(1);
        computed.CiFailed.Should().Be(0);
    }

    [Fact]
    public void Compute_NoRuns_IsNull()
    {
        YieldCalculator.Compute(Stats(), [Pr()], [], [], Now, 14).Row.CiStatus.Should().BeNull();
    }
}
