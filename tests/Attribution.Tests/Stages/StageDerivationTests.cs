using Attribution.Stages;
using Attribution.Common;
using Attribution.Store;

namespace Attribution.Tests.Stages;

public sealed class StageDerivationTests
{
    private static readonly DateTimeOffset Opened = new(2026, 10, 1, 12, 0, 0, TimeSpan.Zero);

    private static StagePr Pr(DateTimeOffset? merged = null) =>
        new("o/r", 42, "github", "Add health endpoint", "feature/health", "main", merged is null ? "open" : "merged", Opened, merged, merged, null, null);

    private static StageSession Session(string id, string agent = "claude-code", string? branch = null) =>
        new(id, agent, "claude-opus-4-6", 1.0, new StageTokens(1000, 500, 0, 0), branch);

    private static StageGraph Graph(
        IReadOnlyList<StageCommitLink>? commits = null, IReadOnlyList<StagePrLink>? prLinks = null,
        IReadOnlyList<StageReviewArtifact>? reviews = null, IReadOnlyList<StageShellEvent>? shell = null,
        IReadOnlyList<StageSession>? sessions = null, DateTimeOffset? merged = null) =>
        new(Pr(merged), commits ?? [], prLinks ?? [], reviews ?? [], shell ?? [],
            (sessions ?? []).ToDictionary(s => s.SessionId, StringComparer.Ordinal));

    [Fact]
    public void Derive_CommitLinksAtOrAboveHalf_AreImplementation()
    {
        var graph = Graph(commits: [new("s1", "abc1234567", "authored", 1.0), new("s2", "abc1234567", "inferred-by-touch", 0.49), new("s3", "def", "inferred-by-touch", 0.5)]);

        var entries = StageDerivation.Derive(graph);

        entries.Where(e => e.Stage == PrStage.Implementation).Select(e => e.SessionId).Should().Equal("s1", "s3");
        entries.Single(e => e.SessionId == "s1").Evidence["method"].Should().Be("commit-links");
    }

    [Fact]
    public void Derive_BranchPushOrOpenedPrLink_IsImplementationOnce()
    {
        var graph = Graph(commits: [new("s1", "abc", "authored", 1.0)], prLinks: [new("s1", "commit", 1.0), new("s2", "branch", 0.9), new("s3", "opened", 0.9), new("s4", "branch", 0.3)]);

        var entries = StageDerivation.Derive(graph).Where(e => e.Stage == PrStage.Implementation).ToList();

        entries.Select(e => e.SessionId).Should().Equal("s1", "s2", "s3");
        entries.Single(e => e.SessionId == "s2").Evidence["reason"].Should().Be("branch");
    }

    [Fact]
    public void Derive_SignedReviewArtifacts_AreReviewWithThemAsEvidence()
    {
        var graph = Graph(reviews: [new("r1", "review", "77"), new("r1", "review_comment", "78"), new("r2", "issue_comment", "9")]);

        var entries = StageDerivation.Derive(graph).Where(e => e.Stage == PrStage.Review).ToList();

        entries.Select(e => e.SessionId).Should().Equal("r1", "r2");
        entries[0].Evidence["artifacts"].Should().BeEquivalentTo(new[] { "review:77", "review_comment:78" });
    }

    [Fact]
    public void Derive_LinkedSessionRunningTestsAfterOpen_IsIntegration()
    {
        var graph = Graph(commits: [new("s1", "abc", "authored", 1.0)], shell: [new("s1", Opened.AddHours(1), "dotnet test tests/", false)]);

        var entry = StageDerivation.Derive(graph).Single(e => e.Stage == PrStage.Integration);

        entry.SessionId.Should().Be("s1");
        entry.Confidence.Should().Be(0.8);
        entry.Evidence["relation"].Should().Be("linked");
        entry.Evidence["testRuns"].Should().Be(1);
    }

    [Fact]
    public void Derive_TestsBeforeThePrOpened_AreNotIntegration()
    {
        var graph = Graph(commits: [new("s1", "abc", "authored", 1.0)], shell: [new("s1", Opened.AddMinutes(-5), "npm test", false)]);

        StageDerivation.Derive(graph).Should().NotContain(e => e.Stage == PrStage.Integration);
    }

    [Fact]
    public void Derive_TestsAfterMerge_AreNotIntegration()
    {
        var merged = Opened.AddDays(1);
        var graph = Graph(commits: [new("s1", "abc", "authored", 1.0)], shell: [new("s1", merged.AddMinutes(1), "pytest", false)], merged: merged);

        StageDerivation.Derive(graph).Should().NotContain(e => e.Stage == PrStage.Integration);
    }

    [Fact]
    public void Derive_UnrelatedSessionRunningTests_IsIgnored()
    {
        var graph = Graph(shell: [new("other", Opened.AddHours(2), "go test ./...", false)], sessions: [Session("other", branch: "feature/else")]);

        StageDerivation.Derive(graph).Should().BeEmpty();
    }

    [Fact]
    public void Derive_SessionOnTheHeadBranchRebasing_IsIntegration()
    {
        var graph = Graph(shell: [new("s9", Opened.AddHours(3), "git rebase origin/main", false)], sessions: [Session("s9", "codex", "feature/health")]);

        var entry = StageDerivation.Derive(graph).Single();

        entry.Stage.Should().Be(PrStage.Integration);
        entry.Evidence["relation"].Should().Be("head-branch");
        entry.Evidence["mergesOrRebases"].Should().Be(1);
    }

    [Fact]
    public void Derive_CommandNamingTheHeadBranch_IsIntegrationWithLowerConfidence()
    {
        var graph = Graph(shell: [new("s8", Opened.AddHours(3), "git checkout feature/health && git merge main && make test", false)], sessions: [Session("s8")]);

        var entry = StageDerivation.Derive(graph).Single();

        entry.Confidence.Should().Be(0.6);
        entry.Evidence["relation"].Should().Be("names-head-branch");
    }

    [Fact]
    public void Derive_CommandNamingALongerBranch_DoesNotCount()
    {
        var graph = Graph(shell: [new("s8", Opened.AddHours(3), "git checkout feature/health-v2 && pytest", false)], sessions: [Session("s8")]);

        StageDerivation.Derive(graph).Should().BeEmpty();
    }

    [Theory]
    [InlineData("dotnet test", true)]
    [InlineData("cd src && npm run test -- --watch=false", true)]
    [InlineData("python -m pytest -q", true)]
    [InlineData("cargo nextest run", true)]
    [InlineData("./gradlew clean test", true)]
    [InlineData("mvn -q -DskipTests=false test", true)]
    [InlineData("make check", true)]
    [InlineData("cat tests/test_api.py", false)]
    [InlineData("git status", false)]
    [InlineData("echo latest", false)]
    public void IsTestCommand_RecognisesTestRunners(string command, bool expected) =>
        StageDerivation.IsTestCommand(command).Should().Be(expected);

    [Theory]
    [InlineData("git merge origin/main", true)]
    [InlineData("git -C repo rebase main", true)]
    [InlineData("git pull --rebase", true)]
    [InlineData("git merge-base a b", false)]
    [InlineData("git log --merges", false)]
    public void IsBranchIntegration_RecognisesMergeRebasePull(string command, bool expected) =>
        StageDerivation.IsBranchIntegration(command).Should().Be(expected);
}
