using Attribution.Linking.Outcomes;
using Attribution.Stages;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Attribution.Common;

namespace Attribution.Tests.Stages;

public sealed class PrStageServiceTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero));

    private sealed class FixedPricer : IStagePricer
    {
        // claude-opus: $10 per million tokens of any kind; gpt-5-codex: $1.
        public decimal? Price(string model, StageTokens tokens) => model switch
        {
            "claude-opus-4-6" => (tokens.Input + tokens.Output) * 10m / 1_000_000m,
            "gpt-5-codex" => (tokens.Input + tokens.Output) * 1m / 1_000_000m,
            _ => null,
        };
    }

    private static PrStageService Service(TestDatabase db) =>
        new(new StageStore(db.Connections, Time), Options.Create(new StageOptions()), new Attribution.Linking.Outcomes.PullRequestOutcomes(new AttributionQueryStore(db.Connections), Time), new FixedPricer());

    private static PrStageCommand.Request Record(int pr, string? repo = null, string? title = null, string? branch = null,
        (string? P, string? S)? review = null, (string? P, string? S)? impl = null, (string? P, string? S)? integ = null, bool view = false, string? status = null) =>
        new(repo, pr, title, branch, null, status,
        [
            (PrStage.Review, review?.P, review?.S),
            (PrStage.Implementation, impl?.P, impl?.S),
            (PrStage.Integration, integ?.P, integ?.S),
        ], view, false, false);

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task View_StoredPrAuthor_IsTheCreatorWhenNoneWasRecorded(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var c = await db.Connections.OpenAsync(CancellationToken.None))
        {
            await Dapper.SqlMapper.ExecuteAsync(c, """
                INSERT INTO pr_outcomes (provider, repo_slug, pr_number, title, state, author, head_ref, base_ref, updated_ts)
                VALUES ('github', 'acme/widgets', 42, 'Sort widgets', 'open', 'octocat', 'feat/sort', 'main', '2026-11-20T00:00:00.0000000Z')
                """);
        }

        var view = new StringWriter();
        var code = await PrStageCommand.RunAsync(Service(db), new RepositoryStore(db.Connections, Time), Record(42, repo: "acme/widgets", view: true), view, CancellationToken.None);

        code.Should().Be(0, view.ToString());
        view.ToString().Should().Contain("Created by: octocat\n");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SeedWalkthrough_RecordedIncrementally_ViewsLikeTheSeed(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var service = Service(db);
        var repos = new RepositoryStore(db.Connections, Time);
        var output = new StringWriter();

        await PrStageCommand.RunAsync(service, repos, Record(42, title: "Add health status endpoint", branch: "feature/health-endpoint", review: ("claude", "pr_review1")), output, CancellationToken.None);
        await PrStageCommand.RunAsync(service, repos, Record(42, impl: ("codex", "pr_impl1")), output, CancellationToken.None);
        await PrStageCommand.RunAsync(service, repos, Record(42, integ: ("ollama", "pr_integ1")), output, CancellationToken.None);
        var view = new StringWriter();
        var code = await PrStageCommand.RunAsync(service, repos, Record(42, view: true), view, CancellationToken.None);

        code.Should().Be(0);
        output.ToString().Should().Contain("recorded PR #42: review claude (pr_review1)").And.Contain("recorded PR #42: implementation codex (pr_impl1)");
        var text = view.ToString();
        text.Should().StartWith("PR #42: Add health status endpoint\nBranch: feature/health-endpoint\nCreated by: unknown\nStatus: pending\n\nProvider Attribution:\n");
        text.Should().Contain("  Review: claude (pr_review1)\n  Implementation: codex (pr_impl1)\n  Integration: ollama (pr_integ1)\n");
        text.Should().Contain("  Total: unknown").And.Contain("Last updated: 2026-11-20T00:00:00");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Get_GraphOnly_DerivesEveryStageWithCosts(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var seed = new StageGraphSeeder(db.Connections);
        await seed.SessionAsync("impl-1", "codex", "gpt-5-codex", 0.30, 200_000, 100_000);
        await seed.SessionAsync("rev-1", "claude-code", "claude-opus-4-6", 1.50, 100_000, 50_000);
        await seed.SessionAsync("int-1", "claude-code", "claude-opus-4-6", null, 10_000, 0, branch: "feature/health-endpoint", shells: [("2026-10-02T10:00:00.0000000Z", "dotnet test")]);
        await seed.PrAsync(42, "merged", "2026-10-01T10:00:00.0000000Z", "2026-10-03T10:00:00.0000000Z");
        await seed.CommitLinkAsync(42, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "impl-1", "authored", 1.0);
        await seed.ReviewArtifactAsync(42, "rev-1", "555");

        var report = await Service(db).GetAsync("o/r", 42, CancellationToken.None);

        report.Should().NotBeNull();
        report!.Title.Should().Be("Add health status endpoint");
        report.State.Should().Be("merged");
        report.Status.Should().Be("completed");
        report.Stages.Select(s => (s.Stage, s.Shows, string.Join(",", s.Providers), string.Join(",", s.Sessions))).Should().Equal(
            ("review", "derived", "claude", "rev-1"),
            ("implementation", "derived", "codex", "impl-1"),
            ("integration", "derived", "claude", "int-1"));
        report.Stages[0].Cost.Should().Be(new CostFigure(1.5m, false, 0));
        report.Stages[2].Cost.Should().Be(new CostFigure(null, true, 1));
        report.Cost.Should().Be(new CostFigure(1.8m, true, 1));
        // Known sessions re-priced on claude-opus at $10/M: 300k + 150k tokens = $4.50 vs $1.80 actual.
        report.Counterfactual.Provider.Should().Be("claude");
        report.Counterfactual.Usd.Should().Be(4.5m);
        report.Counterfactual.SavingUsd.Should().Be(2.7m);
        report.Counterfactual.Partial.Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Record_OverDerived_KeepsBothAndSaysWhichItShows(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var seed = new StageGraphSeeder(db.Connections);
        await seed.SessionAsync("impl-1", "claude-code", "claude-opus-4-6", 0.9, 1000, 1000);
        await seed.PrAsync(7, "open", "2026-11-01T00:00:00.0000000Z", null);
        await seed.CommitLinkAsync(7, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "impl-1", "inferred-by-touch", 0.8);
        var service = Service(db);

        await service.RecordAsync("o/r", 7, new RecordedPrFacts(null, null, "dev_user", "in_progress"), [new RecordedStageEntry(PrStage.Implementation, "codex", "pr_impl1")], CancellationToken.None);
        var report = await service.GetAsync("o/r", 7, CancellationToken.None);

        var impl = report!.Stages.Single(s => s.Stage == "implementation");
        impl.Shows.Should().Be("recorded");
        impl.Providers.Should().Equal("codex");
        impl.Entries.Select(e => (e.Origin, e.Provider, e.SessionId, e.Shown)).Should().Equal(
            ("recorded", "codex", "pr_impl1", true),
            ("derived", "claude", "impl-1", false));
        impl.Note.Should().Be("recorded codex; evidence says claude; showing recorded");
        report.CreatedBy.Should().Be("dev_user");
        report.Status.Should().Be("in_progress");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task List_ProviderTotals_CountStagesMergesAndStillGood(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var seed = new StageGraphSeeder(db.Connections);
        await seed.SessionAsync("s1", "claude-code", "claude-opus-4-6", 1.0, 10, 10);
        await seed.SessionAsync("s2", "claude-code", "claude-opus-4-6", 2.0, 10, 10);
        await seed.SessionAsync("s3", "codex", "gpt-5-codex", 0.5, 10, 10);
        await seed.PrAsync(1, "merged", "2026-09-01T00:00:00.0000000Z", "2026-09-02T00:00:00.0000000Z", head: "a");
        await seed.PrAsync(2, "merged", "2026-09-03T00:00:00.0000000Z", "2026-09-04T00:00:00.0000000Z", head: "b");
        await seed.PrAsync(3, "closed", "2026-09-05T00:00:00.0000000Z", null, head: "c");
        await seed.CommitLinkAsync(1, "1111111111111111111111111111111111111111", "s1", "authored", 1.0);
        await seed.CommitLinkAsync(2, "2222222222222222222222222222222222222222", "s2", "authored", 1.0);
        await seed.CommitLinkAsync(3, "3333333333333333333333333333333333333333", "s3", "authored", 1.0);
        await seed.TouchAsync(DownstreamStore.PrKey("github", 2), "f1x", "fix", "2026-09-06T00:00:00.0000000Z");

        var overview = await Service(db).ListAsync(null, 100, CancellationToken.None);

        overview.PullRequests.Select(p => p.Number).Should().BeEquivalentTo([1, 2, 3]);
        var claude = overview.Providers.Single(p => p.Provider == "claude");
        claude.Prs.Should().Be(2);
        claude.ImplementationPrs.Should().Be(2);
        claude.Cost.Should().Be(new CostFigure(3.0m, false, 0));
        claude.MergeRate.Should().Be(1.0);
        claude.StillGoodEligible.Should().Be(2);
        claude.StillGoodRate.Should().Be(0.5);
        var codex = overview.Providers.Single(p => p.Provider == "codex");
        codex.MergeRate.Should().Be(0.0);
        codex.StillGoodRate.Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Command_BadInput_ExitsWithClearErrors(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var service = Service(db);
        var repos = new RepositoryStore(db.Connections, Time);

        var unknownView = () => PrStageCommand.RunAsync(service, repos, Record(99, view: true), TextWriter.Null, CancellationToken.None);
        var oddProvider = () => PrStageCommand.RunAsync(service, repos, Record(1, review: ("Claude<script>", null)), TextWriter.Null, CancellationToken.None);
        var unknownSession = () => PrStageCommand.RunAsync(service, repos, Record(1, impl: (null, "nope")), TextWriter.Null, CancellationToken.None);
        var badStatus = () => PrStageCommand.RunAsync(service, repos, Record(1, status: "done"), TextWriter.Null, CancellationToken.None);
        var badRepo = () => PrStageCommand.RunAsync(service, repos, Record(1, repo: "not-a-slug", title: "x"), TextWriter.Null, CancellationToken.None);
        var nothing = () => PrStageCommand.RunAsync(service, repos, Record(1), TextWriter.Null, CancellationToken.None);

        (await unknownView.Should().ThrowAsync<Attribution.Common.CliException>()).Which.ExitCode.Should().Be(1);
        (await oddProvider.Should().ThrowAsync<Attribution.Common.CliException>()).Which.ExitCode.Should().Be(2);
        (await unknownSession.Should().ThrowAsync<Attribution.Common.CliException>()).Which.Message.Should().Contain("give --impl-provider");
        (await badStatus.Should().ThrowAsync<Attribution.Common.CliException>()).Which.ExitCode.Should().Be(2);
        (await badRepo.Should().ThrowAsync<Attribution.Common.CliException>()).Which.ExitCode.Should().Be(2);
        (await nothing.Should().ThrowAsync<Attribution.Common.CliException>()).Which.ExitCode.Should().Be(2);
    }
}
