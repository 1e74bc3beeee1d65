using Attribution.Linking;
using Attribution.Store;
using Attribution.Tests.Git;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Linking;

public sealed class AttributionBackfillTests
{
    private const string Slug = "acme/app";
    private static readonly DateTimeOffset T0 = TestRepository.T0;
    private static readonly DateTimeOffset Now = T0.AddDays(60);

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_SessionRanGitCommit_AuthoredLinkAtFullConfidence(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "README.md", "hello\n");
        var sha = repo.Commit("feat: add thing", T0.AddHours(1), "src/thing.py", "print('thing')\n");
        await engine.IngestAsync(Slug, repo);
        await engine.SessionAsync("s1", Slug, T0.AddMinutes(30), T0.AddHours(2));
        await engine.EventAsync("s1", "commit", T0.AddHours(1).AddSeconds(2), sha: sha[..7], command: "git commit -m 'feat: add thing'", output: $"[main {sha[..7]}] feat: add thing");

        await engine.BackfillAsync();

        var link = await engine.LinkAsync(Slug, sha, "s1");
        link.Should().NotBeNull();
        link!.LinkType.Should().Be("authored");
        link.Confidence.Should().Be(1.0);
        link.EvidenceJson.Should().Contain("commit-output").And.Contain(sha[..7]);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_EditThenCommitFiveMinutesLater_InferredByTouchAtLeast07(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "foo.py", "x = 1\n");
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(2));
        await engine.EventAsync("s1", "edit", T0.AddHours(1).AddMinutes(10), path: "foo.py");
        var sha = repo.Commit("update foo", T0.AddHours(1).AddMinutes(15), "foo.py", "x = 2\n");
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        var link = await engine.LinkAsync(Slug, sha, "s1");
        link!.LinkType.Should().Be("inferred-by-touch");
        link.Confidence.Should().BeGreaterThanOrEqualTo(0.7);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_TwoSessionsEditSameFileEvenly_BothBelowHalf(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "foo.py", "x = 1\n");
        foreach (var s in new[] { "s1", "s2" })
        {
            await engine.SessionAsync(s, Slug, T0.AddHours(1), T0.AddHours(2));
            await engine.EventAsync(s, "edit", T0.AddHours(1).AddMinutes(10), path: "foo.py");
        }

        var sha = repo.Commit("update foo", T0.AddHours(1).AddMinutes(15), "foo.py", "x = 2\n");
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        (await engine.LinkAsync(Slug, sha, "s1"))!.Confidence.Should().BeLessThan(0.5);
        (await engine.LinkAsync(Slug, sha, "s2"))!.Confidence.Should().BeLessThan(0.5);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_CoAuthoredCommitDuringOneClaudeSessionOnActivityAlone_BelowThreshold(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "README.md", "hello\n");
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(2));
        await engine.EventAsync("s1", "command", T0.AddHours(1).AddMinutes(5), command: "npm test");
        await engine.SessionAsync("other", Slug, T0.AddDays(3), T0.AddDays(3).AddHours(1));
        var sha = repo.Commit("Generate docs\n\nCo-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\n", T0.AddHours(1).AddMinutes(40), "docs/a.md", "docs\n");
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        // An agent trailer says which agent, not which session: activity alone never makes a link that counts.
        var link = await engine.LinkAsync(Slug, sha, "s1");
        link!.LinkType.Should().Be("co-authored");
        link.Confidence.Should().BeLessThan(0.5);
        link.EvidenceJson.Should().Contain("co-author-trailer-activity-only");
        (await engine.LinkAsync(Slug, sha, "other")).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_SessionPushesPrBranch_SessionLinkedToPr(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        var main = repo.Commit("init", T0, "README.md", "hello\n");
        var baseBranch = repo.CurrentBranch;
        repo.Branch("feat/x");
        var head = repo.Commit("work", T0.AddHours(2), "x.py", "x\n");
        await engine.IngestAsync(Slug, repo);
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(3));
        await engine.EventAsync("s1", "push", T0.AddHours(2).AddMinutes(1), branch: "feat/x", command: "git push -u origin feat/x");
        await engine.PullRequestAsync(Slug, 7, "open", "feat/x", head, baseBranch);

        await engine.BackfillAsync();

        var links = await engine.PrLinksAsync(Slug, 7);
        links.Should().ContainSingle(l => l.SessionId == "s1" && l.Reason == "branch");
        (await engine.ScalarAsync<string>("SELECT linked_session_ids FROM pr_outcomes WHERE pr_number = 7")).Should().Be("[\"s1\"]");
        (await engine.ScalarAsync<long>("SELECT count(*) FROM pr_commits WHERE pr_number = 7 AND sha = @head", new { head })).Should().Be(1);
        (await engine.ScalarAsync<long>("SELECT count(*) FROM pr_commits WHERE pr_number = 7 AND sha = @main", new { main })).Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_SessionWorksOnMain_NoBranchLink(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        var head = repo.Commit("init", T0, "README.md", "hello\n");
        await engine.IngestAsync(Slug, repo);
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(3));
        await engine.EventAsync("s1", "push", T0.AddHours(2), branch: "main", command: "git push origin main");
        await engine.PullRequestAsync(Slug, 8, "open", "main", head, "main");

        await engine.BackfillAsync();

        (await engine.PrLinksAsync(Slug, 8)).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_SessionOpenedPr_LinkedAsOpened(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "README.md", "hello\n");
        await engine.IngestAsync(Slug, repo);
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(3));
        await engine.EventAsync("s1", "pr", T0.AddHours(2), url: "https://github.com/acme/app/pull/12");
        await engine.PullRequestAsync(Slug, 12, "open", "feat/y", null, "main");

        await engine.BackfillAsync();

        (await engine.PrLinksAsync(Slug, 12)).Should().ContainSingle(l => l.SessionId == "s1" && l.Reason == "opened" && l.Confidence == 1.0);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_MergedPrTouchedThreeTimes_CountThreeWithClassification(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "app.py", "a\n");
        var baseBranch = repo.CurrentBranch;
        repo.Branch("feat/x");
        var work = repo.Commit("feature", T0.AddHours(1), "app.py", "a\nb\n");
        repo.Checkout(baseBranch);
        var mergedAt = T0.AddHours(2);
        var squash = repo.Commit("feature (#5)", mergedAt, "app.py", "a\nb\n");
        repo.Commit("Fix crash in app", mergedAt.AddDays(1), "app.py", "a\nb2\n");
        repo.Commit("tidy", mergedAt.AddDays(2), "app.py", "a\nb3\n");
        repo.Commit($"Revert \"feature (#5)\"\n\nThis reverts commit {squash}.\n", mergedAt.AddDays(3), "app.py", "a\n");
        repo.Commit("late change", mergedAt.AddDays(40), "app.py", "z\n");
        await engine.IngestAsync(Slug, repo);
        await engine.PullRequestAsync(Slug, 5, "merged", "feat/x", work, baseBranch, mergedAt, squash);

        await engine.BackfillAsync();

        (await engine.ScalarAsync<long>("SELECT downstream_touch_count FROM pr_outcomes WHERE pr_number = 5")).Should().Be(3);
        var touches = await engine.TouchesAsync(Slug, "pr", "github/5");
        touches.Select(t => t.Classification).Should().Equal("fix", "other", "revert");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_RunTwice_NoDuplicateLinks(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "foo.py", "x = 1\n");
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(2));
        await engine.EventAsync("s1", "edit", T0.AddHours(1).AddMinutes(10), path: "foo.py", text: "value = compute_total(items)");
        var sha = repo.Commit("update foo", T0.AddHours(1).AddMinutes(15), "foo.py", "value = compute_total(items)\n");
        await engine.IngestAsync(Slug, repo);
        await engine.BackfillAsync();
        var first = await engine.CommitLinksAsync(Slug);

        var second = await engine.BackfillAsync();

        var links = await engine.CommitLinksAsync(Slug);
        links.Should().HaveCount(first.Count).And.ContainSingle(l => l.CommitSha == sha);
        second.CommitLinksWritten.Should().Be(0);
        (await engine.ScalarAsync<long>("SELECT count(*) FROM commit_session_link")).Should().Be(first.Count);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_ShortShaMatchesTwoCommits_NoAuthoredLink(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        var a = "abcdef1" + new string('0', 33);
        var b = "abcdef1" + new string('9', 33);
        await engine.Commits.UpsertAsync(
        [
            new CommitRecord { RepoSlug = Slug, Sha = a, Source = "push", CommitterTs = T0.AddHours(1), Message = "one" },
            new CommitRecord { RepoSlug = Slug, Sha = b, Source = "push", CommitterTs = T0.AddHours(1), Message = "two" },
        ], CancellationToken.None);
        await engine.SessionAsync("s1", Slug, T0, T0.AddHours(2));
        await engine.EventAsync("s1", "commit", T0.AddHours(1), sha: "abcdef1", output: "[main abcdef1] one");

        await engine.BackfillAsync();

        (await engine.CommitLinksAsync(Slug)).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_CommitRewrittenAfterSession_TextInDiffLinksRewrittenCommit(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "svc/api.py", "import os\n");
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(2));
        const string text = "def handler(request):\n    return respond(request.payload)\n";
        await engine.EventAsync("s1", "edit", T0.AddHours(1).AddMinutes(5), path: "svc/api.py", text: text);
        await engine.EventAsync("s1", "commit", T0.AddHours(1).AddMinutes(6), sha: "0badc0d", output: "[feat/a 0badc0d] add handler");

        // The session's own commit was squashed away; the surviving commit lands a day later.
        var rewritten = repo.Commit("Add handler (#3)", T0.AddDays(1), "svc/api.py", "import os\n" + text);
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        var link = await engine.LinkAsync(Slug, rewritten, "s1");
        link!.LinkType.Should().Be("inferred-by-touch");
        link.Confidence.Should().BeGreaterThanOrEqualTo(0.7);
        (await engine.CommitLinksAsync(Slug)).Should().NotContain(l => l.LinkType == "authored");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_ParallelSessionsEditDifferentFiles_EachLinkedToItsOwnCommit(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, new Dictionary<string, string?> { ["a.py"] = "a\n", ["b.py"] = "b\n" });
        await engine.SessionAsync("sa", Slug, T0.AddHours(1), T0.AddHours(3));
        await engine.SessionAsync("sb", Slug, T0.AddHours(1), T0.AddHours(3));
        await engine.EventAsync("sa", "edit", T0.AddHours(1).AddMinutes(10), path: "/home/dev/app/.worktrees/2/a.py", text: "alpha = build_alpha(config)");
        await engine.EventAsync("sb", "edit", T0.AddHours(1).AddMinutes(12), path: "b.py", text: "beta = build_beta(config)");
        var ca = repo.Commit("alpha", T0.AddHours(1).AddMinutes(20), "a.py", "alpha = build_alpha(config)\n");
        var cb = repo.Commit("beta", T0.AddHours(1).AddMinutes(25), "b.py", "beta = build_beta(config)\n");
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        (await engine.LinkAsync(Slug, ca, "sa"))!.Confidence.Should().BeGreaterThanOrEqualTo(0.7);
        (await engine.LinkAsync(Slug, cb, "sb"))!.Confidence.Should().BeGreaterThanOrEqualTo(0.7);
        (await engine.LinkAsync(Slug, ca, "sb")).Should().BeNull();
        (await engine.LinkAsync(Slug, cb, "sa")).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_SessionSpanningDaysEditTwentyHoursBeforeCommitWithText_AtLeast07(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "lib/core.py", "base\n");
        await engine.SessionAsync("long", Slug, T0.AddHours(1), T0.AddDays(4));
        await engine.EventAsync("long", "edit", T0.AddHours(2), path: "lib/core.py", text: "result = merge_ranges(left, right)\nreturn normalise(result)");
        await engine.EventAsync("long", "command", T0.AddDays(3), command: "pytest");
        var sha = repo.Commit("core: merge ranges", T0.AddHours(22), "lib/core.py", "base\nresult = merge_ranges(left, right)\nreturn normalise(result)\n");
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        (await engine.LinkAsync(Slug, sha, "long"))!.Confidence.Should().BeGreaterThanOrEqualTo(0.7);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Backfill_FileOverlapOnlyAfterLongDelayNoTextMatch_StaysBelowHalf(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "foo.py", "x = 1\n");
        await engine.SessionAsync("s1", Slug, T0.AddHours(1), T0.AddHours(2));
        await engine.EventAsync("s1", "edit", T0.AddHours(1), path: "foo.py", text: "something_else = compute(other)");
        var sha = repo.Commit("unrelated", T0.AddHours(40), "foo.py", "x = 3\n");
        await engine.IngestAsync(Slug, repo);

        await engine.BackfillAsync();

        (await engine.LinkAsync(Slug, sha, "s1"))!.Confidence.Should().BeLessThan(0.5);
    }
}
