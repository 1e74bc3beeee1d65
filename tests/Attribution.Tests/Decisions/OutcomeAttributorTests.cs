using Attribution.Decisions.Outcomes;
using Attribution.Git;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Attribution.Tests.Decisions;

public sealed class OutcomeAttributorTests
{
    private const string Repo = "acme/shop";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Feb1 = new(2026, 2, 1, 9, 0, 0, TimeSpan.Zero);

    private sealed class Harness(TestDatabase database) : IAsyncDisposable
    {
        public FakeTimeProvider Time { get; } = new(Now);
        public DecisionStore Decisions { get; } = new(database.Connections);
        public EvidenceSeeder Seed { get; } = new(database.Connections);

        public OutcomeAttributor Attributor => new(Decisions, new OutcomeEvidenceStore(database.Connections),
            new RepositoryStore(database.Connections, Time), new BlameReader(), Time, NullLogger<OutcomeAttributor>.Instance);

        public async Task<string> DecisionAsync(string id, long? pr = null, string? file = null, long? line = null, string? commit = null,
            string? category = null, DateTimeOffset? at = null)
        {
            (await Decisions.InsertAsync(new DecisionRecord
            {
                Id = id, Summary = "decision " + id, Confidence = 0.8, Category = category, Project = Repo, PrNumber = pr,
                FilePath = file, Line = line, CommitSha = commit, CreatedTs = at ?? Feb1,
            }, CancellationToken.None)).Should().BeTrue();
            return id;
        }

        public Task BugAsync(string id, string file, long line, string? introducing, long? originLine = null, DateTimeOffset? at = null) =>
            Decisions.InsertBugAsync(new BugReportRecord
            {
                Id = id, Project = Repo, FilePath = file, Line = line, OriginLine = originLine, IntroducingSha = introducing,
                FramesJson = "[]", ReportedTs = at ?? Now.AddDays(-1),
            }, CancellationToken.None);

        public Task<AttributionRun> RunAsync(bool dryRun = false, DateTimeOffset? since = null) =>
            Attributor.RunAsync(Repo, since, 14, dryRun, CancellationToken.None);

        public async Task<DecisionRecord> FindAsync(string id) => (await Decisions.FindAsync(id, CancellationToken.None))!;

        public ValueTask DisposeAsync() => database.DisposeAsync();
    }

    private static async Task<Harness> StartAsync(string provider) => new(await TestDatabase.CreateAsync(provider));

    private static string Sha(char c) => new(c, 40);

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeOutcomes_MergedPrOlderThanStability_Stable(string provider)
    {
        await using var h = await StartAsync(provider);
        await h.DecisionAsync("d0000001", pr: 8, file: "a2a/cstp/decision_service.py", line: 42);
        await h.Seed.PrAsync(Repo, 8, "merged", Now.AddDays(-19), Sha('8'));
        await h.Seed.PrCommitAsync(Repo, 8, Sha('a'));
        await h.Seed.CommitAsync(Repo, Sha('b'), "Rename helpers", Now.AddDays(-10), ["a2a/cstp/decision_service.py"]);

        var run = await h.RunAsync();

        run.Stable.Should().Be(1);
        run.Entries.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Id = "d0000001", Outcome = "success", Verdict = "stable" });
        run.Entries[0].Reason.Should().StartWith("PR #8 stable for 14 days, no bugs reported");
        (await h.FindAsync("d0000001")).Should().BeEquivalentTo(new { Outcome = "success", OutcomeSource = "attribution" });
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeOutcomes_FixCommitOnFileAfterMerge_BugLinkedFailure(string provider)
    {
        await using var h = await StartAsync(provider);
        await h.DecisionAsync("d0000002", pr: 9, file: "shop/cart.py");
        await h.Seed.PrAsync(Repo, 9, "merged", Now.AddDays(-30));
        await h.Seed.PrCommitAsync(Repo, 9, Sha('9'));
        await h.Seed.CommitAsync(Repo, Sha('f'), "Fix crash on empty cart", Now.AddDays(-20), ["shop/cart.py"]);

        var run = await h.RunAsync();

        run.BugLinked.Should().Be(1);
        run.Entries[0].Should().BeEquivalentTo(new { Outcome = "failure", Verdict = "bug-linked" });
        run.Entries[0].Reason.Should().Contain("fix commit ffffffff"[..17]).And.Contain("shop/cart.py");
        (await h.FindAsync("d0000002")).Outcome.Should().Be("failure");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeOutcomes_RecordedRevertTouch_BugLinked(string provider)
    {
        await using var h = await StartAsync(provider);
        await h.DecisionAsync("d0000003", pr: 12, file: "shop/pay.py");
        await h.Seed.PrAsync(Repo, 12, "merged", Now.AddDays(-40));
        await h.Seed.CommitAsync(Repo, Sha('r'), "Revert \"Pay faster\"", Now.AddDays(-35), ["shop/pay.py"]);
        await h.Seed.TouchAsync(Repo, "pr", "github/12", Sha('r'), "revert", Now.AddDays(-35));

        var run = await h.RunAsync();

        run.Entries[0].Should().BeEquivalentTo(new { Outcome = "failure", Verdict = "bug-linked" });
        run.Entries[0].Reason.Should().StartWith("revert commit rrrrrrr");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeOutcomes_PrMergedRecently_PendingWithReason(string provider)
    {
        await using var h = await StartAsync(provider);
        await h.DecisionAsync("d0000004", pr: 10, file: "x.py");
        await h.Seed.PrAsync(Repo, 10, "merged", Now.AddDays(-3));

        var run = await h.RunAsync();

        run.Stable.Should().Be(0);
        run.Entries[0].Should().BeEquivalentTo(new { Outcome = (string?)null, Verdict = "pending" });
        run.Entries[0].Reason.Should().Contain("3 of 14 days");
        (await h.FindAsync("d0000004")).Outcome.Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeOutcomes_BugReportedOnDecisionLine_BugLinked(string provider)
    {
        await using var h = await StartAsync(provider);
        await h.DecisionAsync("d0000005", file: "shop/user.py", line: 7, commit: Sha('c')[..7]);
        await h.Seed.PrAsync(Repo, 11, "merged", Now.AddDays(-20));
        await h.Seed.PrCommitAsync(Repo, 11, Sha('c'));
        await h.BugAsync("bug-00000001", "shop/user.py", 9, Sha('c'), originLine: 7);

        var run = await h.RunAsync();

        run.BugLinked.Should().Be(1);
        run.Missed.Should().Be(0);
        run.Entries.Should().ContainSingle().Which.Reason.Should().StartWith("bug bug-00000001 reported on shop/user.py:9, introduced by ccccccc");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeOutcomes_BugOnLineOfAnotherCommit_NotLinked(string provider)
    {
        await using var h = await StartAsync(provider);
        await h.DecisionAsync("d0000006", pr: 11, file: "shop/user.py", line: 7);
        await h.Seed.PrAsync(Repo, 11, "merged", Now.AddDays(-20));
        await h.Seed.PrCommitAsync(Repo, 11, Sha('c'));
        await h.BugAsync("bug-00000002", "shop/user.py", 7, Sha('e'));

        var run = await h.RunAsync();

        run.Entries.Single(e => e.Id == "d0000006").Verdict.Should().Be("stable");
        run.Entries.Single(e => e.Id == "bug-00000002").Verdict.Should().Be("missed");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeOutcomes_BugWithoutDecision_Missed(string provider)
    {
        await using var h = await StartAsync(provider);
        await h.BugAsync("bug-00000003", "shop/orders.py", 3, Sha('d'));

        var run = await h.RunAsync();

        run.Missed.Should().Be(1);
        run.Entries.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Id = "bug-00000003", Outcome = "missed" });
        (await h.Seed.CountAsync("bug_reports WHERE missed = 1")).Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeOutcomes_DryRun_WritesNothing(string provider)
    {
        await using var h = await StartAsync(provider);
        await h.DecisionAsync("d0000007", pr: 8, file: "a.py");
        await h.Seed.PrAsync(Repo, 8, "merged", Now.AddDays(-19));
        await h.BugAsync("bug-00000004", "b.py", 3, null);

        var run = await h.RunAsync(dryRun: true);

        run.Should().BeEquivalentTo(new { Stable = 1, Missed = 1, Written = 0, DryRun = true });
        (await h.FindAsync("d0000007")).Outcome.Should().BeNull();
        (await h.Seed.CountAsync("decision_reviews")).Should().Be(0);
        (await h.Seed.CountAsync("bug_reports WHERE missed = 1")).Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeOutcomes_ReRun_Idempotent(string provider)
    {
        await using var h = await StartAsync(provider);
        await h.DecisionAsync("d0000008", pr: 8, file: "a.py");
        await h.Seed.PrAsync(Repo, 8, "merged", Now.AddDays(-19));
        await h.BugAsync("bug-00000005", "b.py", 3, null);
        var first = await h.RunAsync();
        var reviewedAt = (await h.FindAsync("d0000008")).ReviewedTs;
        h.Time.Advance(TimeSpan.FromHours(1));

        var second = await h.RunAsync();

        first.Written.Should().Be(2);
        second.Written.Should().Be(0);
        second.Entries.Should().BeEquivalentTo(first.Entries);
        (await h.Seed.CountAsync("decision_reviews")).Should().Be(1);
        (await h.FindAsync("d0000008")).ReviewedTs.Should().Be(reviewedAt);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeOutcomes_DecisionReviewedByHand_KeepsReview(string provider)
    {
        await using var h = await StartAsync(provider);
        await h.DecisionAsync("d0000009", pr: 9, file: "shop/cart.py");
        await h.Seed.PrAsync(Repo, 9, "merged", Now.AddDays(-30));
        await h.Seed.CommitAsync(Repo, Sha('f'), "Fix crash on empty cart", Now.AddDays(-20), ["shop/cart.py"]);
        await h.Decisions.ReviewAsync("d0000009", "partial", "worked with a tweak", Now, CancellationToken.None);

        var run = await h.RunAsync();

        run.Entries[0].Should().BeEquivalentTo(new { Outcome = "partial", Verdict = "reviewed" });
        (await h.FindAsync("d0000009")).Should().BeEquivalentTo(new { Outcome = "partial", OutcomeSource = "review" });
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeOutcomes_CodeReviewFindingWithBug_FindingProvedRight(string provider)
    {
        await using var h = await StartAsync(provider);
        await h.DecisionAsync("d000000a", pr: 8, file: "a.py", line: 4, category: "code-review");
        await h.Seed.PrAsync(Repo, 8, "merged", Now.AddDays(-19));
        await h.BugAsync("bug-00000006", "a.py", 4, null);

        var run = await h.RunAsync();

        run.Entries.Single(e => e.Id == "d000000a").Should().BeEquivalentTo(new { Outcome = "success", Verdict = "bug-linked" });
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeOutcomes_SinceAfterDecision_SkipsIt(string provider)
    {
        await using var h = await StartAsync(provider);
        await h.DecisionAsync("d000000b", pr: 8, file: "a.py");
        await h.Seed.PrAsync(Repo, 8, "merged", Now.AddDays(-19));

        var run = await h.RunAsync(since: Feb1.AddDays(1));

        run.Processed.Should().Be(0);
        run.Entries.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeOutcomes_FixRewritesOtherLine_BlameKeepsDecisionStable(string provider)
    {
        await using var h = await StartAsync(provider);
        using var git = new ScratchRepository();
        var t0 = Now.AddDays(-40);
        var base0 = git.Commit("Add cart", t0, ("cart.py", ScratchRepository.Lines("a = 1", "b = 2", "c = 3", "d = 4")));
        var pr8 = git.Commit("Compute totals", t0.AddDays(1), ("cart.py", ScratchRepository.Lines("a = 1", "b = 2", "total = a + b", "d = 4")));
        var fix = git.Commit("Fix d handling", t0.AddDays(10), ("cart.py", ScratchRepository.Lines("a = 1", "b = 2", "total = a + b", "d = 5")));
        await h.Seed.RepositoryAsync(Repo, git.Path);
        await h.DecisionAsync("d000000c", pr: 8, file: "cart.py", line: 3, at: t0);
        await h.Seed.PrAsync(Repo, 8, "merged", t0.AddDays(2));
        await h.Seed.PrCommitAsync(Repo, 8, pr8);
        await h.Seed.CommitAsync(Repo, base0, "Add cart", t0, ["cart.py"]);
        await h.Seed.CommitAsync(Repo, fix, "Fix d handling", t0.AddDays(10), ["cart.py"]);

        var run = await h.RunAsync();

        run.Entries[0].Verdict.Should().Be("stable");
        run.Entries[0].Reason.Should().Contain("1 fix commit(s) on the file changed other lines");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AttributeOutcomes_FixRewritesDecisionLine_BlamePlacesIt(string provider)
    {
        await using var h = await StartAsync(provider);
        using var git = new ScratchRepository();
        var t0 = Now.AddDays(-40);
        git.Commit("Add cart", t0, ("cart.py", ScratchRepository.Lines("a = 1", "b = 2", "c = 3", "d = 4")));
        var pr8 = git.Commit("Compute totals", t0.AddDays(1), ("cart.py", ScratchRepository.Lines("a = 1", "b = 2", "total = a + b", "d = 4")));
        var fix = git.Commit("Fix total rounding", t0.AddDays(10), ("cart.py", ScratchRepository.Lines("a = 1", "b = 2", "total = round(a + b, 2)", "d = 4")));
        await h.Seed.RepositoryAsync(Repo, git.Path);
        await h.DecisionAsync("d000000d", pr: 8, file: "cart.py", line: 3, at: t0);
        await h.Seed.PrAsync(Repo, 8, "merged", t0.AddDays(2));
        await h.Seed.PrCommitAsync(Repo, 8, pr8);
        await h.Seed.CommitAsync(Repo, fix, "Fix total rounding", t0.AddDays(10), ["cart.py"]);

        var run = await h.RunAsync();

        run.Entries[0].Should().BeEquivalentTo(new { Outcome = "failure", Verdict = "bug-linked" });
        run.Entries[0].Reason.Should().Contain($"fix commit {fix[..7]}").And.Contain("cart.py:3").And.NotContain("file level");
    }
}
