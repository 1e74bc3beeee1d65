using Attribution.Linking.Outcomes;
using Attribution.Api;
using Attribution.Reports;
using Attribution.Store;
using Attribution.Tests.Git;
using Attribution.Tests.Infrastructure;
using Dapper;

namespace Attribution.Tests.Linking;

/// <summary>
/// Line-level outcomes (issue 18) through the real ingest and attribution pass, on repositories built in the test: which
/// later commits touch a session's work, which of them fix it, and how many of its lines survive.
/// </summary>
public sealed class LineOutcomeTests
{
    private const string Slug = "acme/app";
    private static readonly DateTimeOffset T0 = TestRepository.T0;
    private static readonly DateTimeOffset Now = T0.AddDays(60);
    private const string Base = "a\nb\nc\n";

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Outcome_FixSubjectEditingOtherLinesOfTheFile_TouchNotFix(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "app.py", Base);
        var work = repo.Commit("feat: add d", T0.AddHours(1), "app.py", Base + "d1\nd2\n");
        var other = repo.Commit("Fix typo in header", T0.AddDays(2), "app.py", "A\nb\nc\nd1\nd2\n", "Other", "other@example.com");
        await AuthoredAsync(engine, repo, "s1", work, T0.AddHours(1));

        await engine.BackfillAsync();

        var touch = (await TouchesAsync(engine, work)).Should().ContainSingle().Subject;
        touch.TouchSha.Should().Be(other);
        touch.Classification.Should().Be("other");
        touch.LinesChanged.Should().Be(0);
        var outcome = await OutcomeAsync(engine, work);
        outcome.LinesWritten.Should().Be(2);
        outcome.LinesAtHead.Should().Be(2);
        outcome.LinesRewrittenByOthers.Should().Be(0);

        var document = (await CommitDocumentAsync(engine, work)).Downstream;
        document.StillGood.Should().BeTrue("a fix that leaves the work's lines alone is not a fix of it");
        document.FixCount.Should().Be(0);
        document.TouchCount.Should().Be(1);
        document.LinesWritten.Should().Be(2);
        document.Survival14d.Should().Be(1.0);
        document.Touches.Should().ContainSingle().Which.Should().Be(new DownstreamTouchItem(other, "other", T0.AddDays(2), 0));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Outcome_FixChangingTheSessionsLines_Fix(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "app.py", Base);
        var work = repo.Commit("feat: add d", T0.AddHours(1), "app.py", Base + "d1\nd2\n");
        var fix = repo.Commit("fix: off by one in d", T0.AddDays(2), "app.py", Base + "d1 + 1\nd2\n", "Other", "other@example.com");
        await AuthoredAsync(engine, repo, "s1", work, T0.AddHours(1));

        await engine.BackfillAsync();

        var touch = (await TouchesAsync(engine, work)).Should().ContainSingle().Subject;
        touch.TouchSha.Should().Be(fix);
        touch.Classification.Should().Be("fix");
        touch.LinesChanged.Should().Be(1);
        var outcome = await OutcomeAsync(engine, work);
        outcome.LinesAtHead.Should().Be(1);
        outcome.LinesRewrittenByOthers.Should().Be(1);

        var document = (await CommitDocumentAsync(engine, work)).Downstream;
        document.StillGood.Should().BeFalse();
        document.FixCount.Should().Be(1);
        document.SurvivalAtHead.Should().Be(0.5);
        var session = await SessionDocumentAsync(engine, "s1");
        session.Downstream.Should().Be(new SessionDownstreamDocument(1, 2, 1, 1, 1, 0.5, 0.5, 0.5, 1, 1, 0));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Outcome_SessionsOwnFollowUpSamePrAndRebasedCopy_NotTouches(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "app.py", Base);
        var main = repo.CurrentBranch;
        repo.Branch("feat/d");
        var work = repo.Commit("feat: add d", T0.AddHours(1), "app.py", Base + "d1\nd2\n");
        var review = repo.Commit("fix: review comment on d", T0.AddHours(3), "app.py", Base + "d1!\nd2\n", "Reviewer", "reviewer@example.com");
        var head = repo.Commit("fix bug in d2", T0.AddDays(1), "app.py", Base + "d1!\nd2!\n");
        repo.Checkout(main);
        // The same change rebased onto main: same author, author time and subject, committed later.
        var copy = repo.Commit("feat: add d", T0.AddHours(1), T0.AddDays(2), new Dictionary<string, string?> { ["app.py"] = Base + "d1\nd2\n" });
        await engine.IngestAsync(Slug, repo);
        await engine.SessionAsync("s1", Slug, T0.AddMinutes(30), T0.AddDays(1).AddHours(1));
        await engine.EventAsync("s1", "commit", T0.AddHours(1).AddSeconds(2), sha: work[..7], command: "git commit -m 'feat: add d'", output: $"[feat/d {work[..7]}] feat: add d");
        await engine.EventAsync("s1", "commit", T0.AddDays(1).AddSeconds(2), sha: head[..7], command: "git commit -m 'fix bug in d2'", output: $"[feat/d {head[..7]}] fix bug in d2");
        await engine.PullRequestAsync(Slug, 7, "open", "feat/d", head, main);

        await engine.BackfillAsync();

        (await engine.LinkAsync(Slug, head, "s1")).Should().NotBeNull("the follow-up is the session's own commit");
        var touches = await TouchesAsync(engine, work);
        touches.Select(t => t.TouchSha).Should().NotContain([head, review, copy]);
        touches.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Outcome_RevertNamingTheCommitOrUndoingItsLines_Revert(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "app.py", Base);
        var named = repo.Commit("feat: add d", T0.AddHours(1), "app.py", Base + "d1\nd2\n");
        var revert = repo.Commit($"Revert \"feat: add d\"\n\nThis reverts commit {named}.\n", T0.AddDays(1), "app.py", Base, "Other", "other@example.com");
        var undone = repo.Commit("feat: add e", T0.AddDays(2), "app.py", Base + "e1\ne2\ne3\n");
        var manual = repo.Commit("Revert the e lines, they broke the build", T0.AddDays(3), "app.py", Base, "Other", "other@example.com");
        await engine.IngestAsync(Slug, repo);
        await engine.SessionAsync("s1", Slug, T0.AddMinutes(30), T0.AddDays(2).AddHours(1));
        await engine.EventAsync("s1", "commit", T0.AddHours(1).AddSeconds(2), sha: named[..7], command: "git commit", output: $"[main {named[..7]}] feat: add d");
        await engine.EventAsync("s1", "commit", T0.AddDays(2).AddSeconds(2), sha: undone[..7], command: "git commit", output: $"[main {undone[..7]}] feat: add e");

        await engine.BackfillAsync();

        (await TouchesAsync(engine, named)).Where(t => t.TouchSha == revert).Should().ContainSingle().Which.Classification.Should().Be("revert");
        var byLines = (await TouchesAsync(engine, undone)).Should().ContainSingle(t => t.TouchSha == manual).Subject;
        byLines.Classification.Should().Be("revert");
        byLines.LinesChanged.Should().Be(3);
        (await OutcomeAsync(engine, undone)).LinesAtHead.Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Outcome_FileRenamedThenFixed_LinesFollowTheRename(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        const string body = "import os\nimport sys\n\ndef main():\n    return 0\n";
        repo.Commit("init", T0, "lib/a.py", body);
        var work = repo.Commit("feat: helpers", T0.AddHours(1), "lib/a.py", body + "\ndef one():\n    return 1\n\ndef two():\n    return 2\n");
        var renamed = body + "\ndef one():\n    return 1\n\ndef two():\n    return 2\n";
        var rename = repo.Commit("move a to b", T0.AddDays(1), new Dictionary<string, string?> { ["lib/a.py"] = null, ["lib/b.py"] = renamed }, "Other", "other@example.com");
        var fix = repo.Commit("fix: two returns 22", T0.AddDays(2), "lib/b.py", renamed.Replace("return 2\n", "return 22\n", StringComparison.Ordinal), "Other", "other@example.com");
        await AuthoredAsync(engine, repo, "s1", work, T0.AddHours(1));

        await engine.BackfillAsync();

        var touches = await TouchesAsync(engine, work);
        touches.Should().Contain(t => t.TouchSha == rename && t.Classification == "other" && t.LinesChanged == 0);
        touches.Should().Contain(t => t.TouchSha == fix && t.Classification == "fix" && t.LinesChanged == 1);
        var outcome = await OutcomeAsync(engine, work);
        outcome.LinesWritten.Should().Be(6);
        outcome.LinesAtHead.Should().Be(5);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Outcome_LinesRemovedOverTime_SurvivalCountsLinesPresentAtEachHorizon(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "app.py", Base);
        var work = repo.Commit("feat: add d", T0.AddHours(1), "app.py", Base + "d1\nd2\nd3\nd4\n");
        repo.Commit("drop d1", T0.AddDays(5), "app.py", Base + "d2\nd3\nd4\n", "Other", "other@example.com");
        repo.Commit("drop d2 and d3", T0.AddDays(20), "app.py", Base + "d4\n", "Other", "other@example.com");
        repo.Commit("unrelated", T0.AddDays(40), "other.py", "x\n", "Other", "other@example.com");
        await AuthoredAsync(engine, repo, "s1", work, T0.AddHours(1));

        await engine.BackfillAsync();

        var outcome = await OutcomeAsync(engine, work);
        outcome.LinesWritten.Should().Be(4);
        outcome.LinesAfter14d.Should().Be(3);
        outcome.LinesAfter30d.Should().Be(1);
        outcome.LinesAtHead.Should().Be(1);
        outcome.LinesRewrittenByOthers.Should().Be(3);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Outcome_YoungWork_NoSurvivalYetAndReadAgainOnlyWhenItsFilesChange(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, T0.AddDays(3));
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "app.py", Base);
        var work = repo.Commit("feat: add d", T0.AddHours(1), "app.py", Base + "d1\nd2\n");
        await AuthoredAsync(engine, repo, "s1", work, T0.AddHours(1));

        var first = await engine.BackfillAsync();
        repo.Commit("elsewhere", T0.AddDays(2), "other.py", "x\n", "Other", "other@example.com");
        var unrelated = await engine.BackfillAsync();
        repo.Commit("fix: d2", T0.AddDays(2).AddHours(1), "app.py", Base + "d1\nd2 fixed\n", "Other", "other@example.com");
        var related = await engine.BackfillAsync();

        first.LineTargetsRead.Should().Be(1);
        unrelated.LineTargets.Should().Be(1);
        unrelated.LineTargetsRead.Should().Be(0, "no new commit touched the work's files");
        related.LineTargetsRead.Should().Be(1);
        var outcome = await OutcomeAsync(engine, work);
        outcome.LinesAfter14d.Should().BeNull("14 days have not passed");
        outcome.LinesAfter30d.Should().BeNull();
        outcome.LinesAtHead.Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Outcome_HeadMovesPassAfterPass_CountAtHeadAsAFreshReadGives(string provider)
    {
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, new Dictionary<string, string?> { ["a.py"] = Base, ["b.py"] = Base });
        var work = repo.Commit("feat: add to a and b", T0.AddHours(1), new Dictionary<string, string?> { ["a.py"] = Base + "a1\na2\n", ["b.py"] = Base + "b1\nb2\nb3\n" });
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        await AuthoredAsync(engine, repo, "s1", work, T0.AddHours(1));
        await engine.BackfillAsync();
        (await OutcomeAsync(engine, work)).LinesAtHead.Should().Be(5);

        // Each later pass sees the head move: the first time over a.py only (the work's count there is taken off and
        // read again at the new head; b.py is not read), then over b.py and a file the work never had.
        repo.Commit("drop a1", T0.AddDays(3), "a.py", Base + "a2\n", "Other", "other@example.com");
        await engine.BackfillAsync();
        (await OutcomeAsync(engine, work)).LinesAtHead.Should().Be(4);
        repo.Commit("rewrite b", T0.AddDays(4), new Dictionary<string, string?> { ["b.py"] = Base + "b1\nB2\n", ["c.py"] = "c\n" }, "Other", "other@example.com");
        await engine.BackfillAsync();
        var moved = await OutcomeAsync(engine, work);
        moved.LinesAtHead.Should().Be(2);

        await using var fresh = await EngineHarness.CreateAsync(provider, Now);
        await AuthoredAsync(fresh, repo, "s1", work, T0.AddHours(1));
        await fresh.BackfillAsync();
        (await OutcomeAsync(fresh, work)).LinesAtHead.Should().Be(moved.LinesAtHead, "a head count carried from pass to pass is the count a fresh read gives");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Outcome_WorkOnABranch_StillNotAtHeadWhileTheHeadMovesOnOverItsFile(string provider)
    {
        using var repo = TestRepository.Create();
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        var work = await WorkOnABranchAsync(engine, repo);

        // The default branch moves on, without merges, over the work's file: the work is still not there.
        repo.Commit("main edits app", T0.AddDays(1), "app.py", "x\n" + Base, "Other", "other@example.com");
        engine.Time.Advance(TimeSpan.FromMinutes(5));
        var pass = await engine.BackfillAsync();
        pass.Incremental.Should().Be(1);
        (await OutcomeAsync(engine, work)).LinesAtHead.Should().BeNull("a head that moved forward without the work cannot hold its lines");
        (await OutcomeAsync(engine, work)).LinesWritten.Should().Be(2);

        await using var fresh = await EngineHarness.CreateAsync(provider, Now);
        await AuthoredAsync(fresh, repo, "s1", work, T0.AddHours(1));
        await fresh.BackfillAsync();
        (await OutcomeAsync(fresh, work)).LinesAtHead.Should().BeNull("a fresh read gives the same answer");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Outcome_WorkOnABranchMergedFastForward_CountedAtTheHeadFromThen(string provider)
    {
        using var repo = TestRepository.Create();
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        var work = await WorkOnABranchAsync(engine, repo);

        // The default branch fast-forwards to the work and goes on: the commits between the two heads hold the work.
        repo.Repo.Reset(LibGit2Sharp.ResetMode.Hard, LibGit2Sharp.RepositoryExtensions.Lookup<LibGit2Sharp.Commit>(repo.Repo, work));
        repo.Commit("later", T0.AddDays(1), "other.py", "o\n", "Other", "other@example.com");
        engine.Time.Advance(TimeSpan.FromMinutes(5));
        var pass = await engine.BackfillAsync();
        pass.Incremental.Should().Be(1);
        (await OutcomeAsync(engine, work)).LinesAtHead.Should().Be(2);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Outcome_LineBudgetSpent_RestDeferredToTheNextPassWhichFinishesIt(string provider)
    {
        await using var engine = await EngineHarness.CreateAsync(provider, Now);
        engine.Options.LineBudgetSeconds = 1e-9; // spent by the first target read from git
        using var repo = TestRepository.Create();
        repo.Commit("init", T0, "app.py", Base);
        var first = repo.Commit("feat: add d", T0.AddHours(1), "app.py", Base + "d1\n");
        var second = repo.Commit("feat: add e", T0.AddHours(2), "lib.py", "e1\n");
        await AuthoredAsync(engine, repo, "s1", first, T0.AddHours(1));
        await engine.EventAsync("s1", "commit", T0.AddHours(2).AddSeconds(2), sha: second[..7], command: "git commit", output: $"[main {second[..7]}] more");

        var pass1 = await engine.BackfillAsync();
        var pass2 = await engine.BackfillAsync();
        var pass3 = await engine.BackfillAsync();

        pass1.LineTargets.Should().Be(1, "one target got its facts; the other is left for later");
        pass1.LineTargetsRead.Should().Be(1);
        pass1.LineTargetsDeferred.Should().Be(1);
        pass2.LineTargetsRead.Should().Be(1, "the deferred target is read by the next pass even though nothing new arrived");
        pass2.LineTargetsDeferred.Should().Be(0);
        pass3.Unchanged.Should().Be(1, "once every target is read, the pass skips the unchanged repository again");
        (await OutcomeAsync(engine, first)).LinesWritten.Should().Be(1);
        (await OutcomeAsync(engine, second)).LinesWritten.Should().Be(1);
    }

    /// <summary>
    /// A default branch holding only <c>init</c> and a branch <c>feature</c> holding the work (two lines of app.py), which
    /// session s1 committed; after one pass, the work is not at the head.
    /// </summary>
    private static async Task<string> WorkOnABranchAsync(EngineHarness engine, TestRepository repo)
    {
        repo.Commit("init", T0, "app.py", Base);
        var main = repo.CurrentBranch;
        repo.Branch("feature");
        var work = repo.Commit("feat: add d", T0.AddHours(1), "app.py", Base + "d1\nd2\n");
        repo.Checkout(main);
        await AuthoredAsync(engine, repo, "s1", work, T0.AddHours(1));
        await engine.BackfillAsync();
        (await OutcomeAsync(engine, work)).LinesAtHead.Should().BeNull("the work is not in the default branch's history");
        return work;
    }

    private static async Task AuthoredAsync(EngineHarness engine, TestRepository repo, string session, string sha, DateTimeOffset at)
    {
        await engine.IngestAsync(Slug, repo);
        await engine.SessionAsync(session, Slug, at.AddMinutes(-30), at.AddHours(1));
        await engine.EventAsync(session, "commit", at.AddSeconds(2), sha: sha[..7], command: "git commit", output: $"[main {sha[..7]}] work");
    }

    private static async Task<CommitAttributionDocument> CommitDocumentAsync(EngineHarness engine, string sha)
    {
        var connections = engine.Database.Connections;
        var service = new CommitAttributionService(new AttributionQueryStore(connections), engine.Time, new DecisionStore(connections), engine.Recorded, engine.Downstream);
        return (await service.GetAsync(sha, Slug, 0.5, CancellationToken.None)).Document!;
    }

    private static async Task<SessionAttributionDocument> SessionDocumentAsync(EngineHarness engine, string session)
    {
        var connections = engine.Database.Connections;
        var query = new AttributionQueryStore(connections);
        var yields = new Attribution.Yield.YieldService(new YieldStore(connections), engine.Time, new Attribution.Common.ChangeSignal(), new Attribution.Common.PassSignal(), Microsoft.Extensions.Options.Options.Create(new Attribution.Yield.YieldOptions()));
        var service = new SessionAttributionService(query, new ArtifactStore(connections, engine.Time), new Attribution.Linking.Outcomes.PullRequestOutcomes(query, engine.Time), yields, engine.Downstream);
        return (await service.GetAsync(session, 0.5, CancellationToken.None))!;
    }

    private static async Task<IReadOnlyList<TouchLines>> TouchesAsync(EngineHarness engine, string sha)
    {
        await using var c = await engine.Database.Connections.OpenAsync(CancellationToken.None);
        return (await c.QueryAsync<TouchLines>(
            "SELECT touch_sha AS TouchSha, classification AS Classification, lines_changed AS LinesChanged FROM downstream_touches WHERE repo_slug = @Slug AND target_kind = 'commit' AND target_key = @sha ORDER BY touched_ts",
            new { Slug, sha })).ToList();
    }

    private static async Task<Outcome> OutcomeAsync(EngineHarness engine, string sha)
    {
        await using var c = await engine.Database.Connections.OpenAsync(CancellationToken.None);
        return await c.QuerySingleAsync<Outcome>(
            """
            SELECT lines_written AS LinesWritten, lines_at_head AS LinesAtHead, lines_after_14d AS LinesAfter14d, lines_after_30d AS LinesAfter30d,
                   lines_rewritten_by_others AS LinesRewrittenByOthers
            FROM line_outcomes WHERE repo_slug = @Slug AND target_kind = 'commit' AND target_key = @sha
            """,
            new { Slug, sha });
    }

    private sealed class TouchLines
    {
        public string TouchSha { get; set; } = "";
        public string Classification { get; set; } = "";
        public int? LinesChanged { get; set; }
    }

    private sealed class Outcome
    {
        public int LinesWritten { get; set; }
        public int? LinesAtHead { get; set; }
        public int? LinesAfter14d { get; set; }
        public int? LinesAfter30d { get; set; }
        public int LinesRewrittenByOthers { get; set; }
    }
}
