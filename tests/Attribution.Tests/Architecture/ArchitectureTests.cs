namespace Attribution.Tests.Architecture;

/// <summary>The compiled product keeps the boundaries docs/architecture.md draws; the checker itself is tested on made-up maps.</summary>
public sealed class ArchitectureTests
{
    /// <summary>
    /// Uses the boundaries forbid that exist today, each with the step that removes it. The test fails when a new
    /// one appears and when one listed here is gone (so the list only shrinks, and says the truth).
    /// </summary>
    private static readonly string[] KnownDebts =
    [
        // Pages still see Store's row types and filters: the detail pages, the search box and the lists read through
        // Reports (DetailReads, ListReads), the deliveries page through Webhooks (DeliveryLog), the calibration page through
        // Decisions (CalibrationService.PageAsync); the next step gives the pages Reports' own documents (docs/architecture.md).
        "Attribution.Pages.CommitModel → Attribution.Store.CommitAiLines (Pages/ may not use Store/)",
        "Attribution.Pages.CommitModel → Attribution.Store.CommitRow (Pages/ may not use Store/)",
        "Attribution.Pages.CommitModel → Attribution.Store.CommitFileRow (Pages/ may not use Store/)",
        "Attribution.Pages.CommitModel → Attribution.Store.CiRunRow (Pages/ may not use Store/)",
        "Attribution.Pages.CommitModel → Attribution.Store.LinkRow (Pages/ may not use Store/)",
        "Attribution.Pages.CommitModel → Attribution.Store.PullRequestRow (Pages/ may not use Store/)",
        "Attribution.Pages.CommitsModel → Attribution.Store.BrowseCommitRow (Pages/ may not use Store/)",
        "Attribution.Pages.CommitsModel → Attribution.Store.BrowseFilter (Pages/ may not use Store/)",
        "Attribution.Pages.Dashboard.ListQuery → Attribution.Store.BrowseFilter (Pages/ may not use Store/)",
        "Attribution.Pages.Dashboard.Ui → Attribution.Store.PrLinkRow (Pages/ may not use Store/)",
        "Attribution.Pages.DeliveriesModel → Attribution.Store.DeliveryRow (Pages/ may not use Store/)",
        "Attribution.Pages.Pages_Commit → Attribution.Store.CommitAiLines (Pages/ may not use Store/)",
        "Attribution.Pages.Pages_Commit → Attribution.Store.CommitRow (Pages/ may not use Store/)",
        "Attribution.Pages.Pages_Commit → Attribution.Store.CommitFileRow (Pages/ may not use Store/)",
        "Attribution.Pages.Pages_Commit → Attribution.Store.CiRunRow (Pages/ may not use Store/)",
        "Attribution.Pages.Pages_Commit → Attribution.Store.LinkRow (Pages/ may not use Store/)",
        "Attribution.Pages.Pages_Commit → Attribution.Store.PullRequestRow (Pages/ may not use Store/)",
        "Attribution.Pages.Pages_Deliveries → Attribution.Store.DeliveryRow (Pages/ may not use Store/)",
        "Attribution.Pages.Pages_PullRequest → Attribution.Store.CiRunRow (Pages/ may not use Store/)",
        "Attribution.Pages.Pages_PullRequest → Attribution.Store.PrCommitRow (Pages/ may not use Store/)",
        "Attribution.Pages.Pages_PullRequest → Attribution.Store.PullRequestRow (Pages/ may not use Store/)",
        "Attribution.Pages.Pages_PullRequest → Attribution.Store.PrLinkRow (Pages/ may not use Store/)",
        "Attribution.Pages.Pages_Session → Attribution.Store.CiRunRow (Pages/ may not use Store/)",
        "Attribution.Pages.Pages_Session → Attribution.Store.LinkRow (Pages/ may not use Store/)",
        "Attribution.Pages.Pages_Session → Attribution.Store.PrLinkRow (Pages/ may not use Store/)",
        "Attribution.Pages.Pages_Session → Attribution.Store.SessionRecord (Pages/ may not use Store/)",
        "Attribution.Pages.Pages_Session → Attribution.Store.SessionFeedback (Pages/ may not use Store/)",
        "Attribution.Pages.PrsModel → Attribution.Store.BrowseFilter (Pages/ may not use Store/)",
        "Attribution.Pages.PrsModel → Attribution.Store.PullRequestRow (Pages/ may not use Store/)",
        "Attribution.Pages.PullRequestModel → Attribution.Store.CiRunRow (Pages/ may not use Store/)",
        "Attribution.Pages.PullRequestModel → Attribution.Store.PrCommitRow (Pages/ may not use Store/)",
        "Attribution.Pages.PullRequestModel → Attribution.Store.PullRequestRow (Pages/ may not use Store/)",
        "Attribution.Pages.PullRequestModel → Attribution.Store.PrLinkRow (Pages/ may not use Store/)",
        "Attribution.Pages.SearchModel → Attribution.Store.PullRequestRow (Pages/ may not use Store/)",
        "Attribution.Pages.SearchModel → Attribution.Store.CommitRow (Pages/ may not use Store/)",
        "Attribution.Pages.SearchModel → Attribution.Store.SessionRecord (Pages/ may not use Store/)",
        "Attribution.Pages.SessionModel → Attribution.Store.CiRunRow (Pages/ may not use Store/)",
        "Attribution.Pages.SessionModel → Attribution.Store.LinkRow (Pages/ may not use Store/)",
        "Attribution.Pages.SessionModel → Attribution.Store.PrLinkRow (Pages/ may not use Store/)",
        "Attribution.Pages.SessionModel → Attribution.Store.SessionRecord (Pages/ may not use Store/)",
        "Attribution.Pages.SessionModel → Attribution.Store.SessionEventRecord (Pages/ may not use Store/)",
        "Attribution.Pages.SessionModel → Attribution.Store.SessionFeedback (Pages/ may not use Store/)",
        "Attribution.Pages.SessionsModel → Attribution.Store.BrowseFilter (Pages/ may not use Store/)",
        "Attribution.Pages.SessionsModel → Attribution.Store.BrowseSessionRow (Pages/ may not use Store/)",
        "Attribution.Pages.Shared.Pages_Shared__CiRuns → Attribution.Store.CiRunRow (Pages/ may not use Store/)",
    ];

    private static readonly Lazy<AssemblyReferences> Product = new(() => AssemblyReferences.Read(typeof(Attribution.Hosting.AttributionHost).Assembly.Location));

    [Fact]
    public void CompiledProduct_UsesOnlyWhatItsFolderMay()
    {
        var violations = Boundaries.Violations(Product.Value.Uses);

        var added = violations.Except(KnownDebts).ToList();
        added.Should().BeEmpty("a folder uses one it may not (see docs/architecture.md):\n" + string.Join("\n", added));
        KnownDebts.Except(violations).Should().BeEmpty("these debts are paid: delete them from KnownDebts");
    }

    [Fact]
    public void CompiledProduct_EveryFolderHasARule()
    {
        var folders = Product.Value.Uses.Keys.Select(FolderOf.Type).OfType<string>().Distinct().ToList();

        folders.Should().NotBeEmpty();
        folders.Where(f => !Boundaries.MayUse.ContainsKey(f)).Should().BeEmpty("each folder of src/Attribution needs a line in Boundaries.MayUse and docs/architecture.md");
    }

    [Fact]
    public void Violations_StoreUsingAFeature_IsReported()
    {
        var uses = Map(("Attribution.Store.LinkStore", "Attribution.Linking.DownstreamCalculator"));

        Boundaries.Violations(uses).Should().ContainSingle().Which.Should().Contain("Store/ may not use Linking/");
    }

    [Fact]
    public void Violations_LibGit2SharpOutsideGit_IsReported()
    {
        var uses = Map(("Attribution.Linking.AttributionBackfill", "[LibGit2Sharp]LibGit2Sharp.LibGit2SharpException"), ("Attribution.Git.BlameReader", "[LibGit2Sharp]LibGit2Sharp.Repository"));

        Boundaries.Violations(uses).Should().ContainSingle().Which.Should().Contain("LibGit2Sharp is for Git/ only");
    }

    [Fact]
    public void Violations_WiringUsingHosting_IsAllowedButNotAService()
    {
        var uses = Map(("Attribution.Git.GitModule", "Attribution.Hosting.CliContext"), ("Attribution.Git.GitIngestService", "Attribution.Hosting.CliContext"));

        Boundaries.Violations(uses).Should().ContainSingle().Which.Should().StartWith("Attribution.Git.GitIngestService");
    }

    [Fact]
    public void Violations_AllowedUsesAndGeneratedCode_AreNotReported()
    {
        var uses = Map(
            ("Attribution.Linking.LinkPass", "Attribution.Store.LinkStore"),
            ("Attribution.Api.AttributionEndpoints", "Attribution.Common.CliException"),
            ("AspNetCoreGeneratedDocument.Pages_Index", "Attribution.Yield.YieldService"),
            ("System.Text.RegularExpressions.Generated.Foo", "Attribution.Store.LinkStore"));

        Boundaries.Violations(uses).Should().BeEmpty();
    }

    [Fact]
    public void AssemblyReferences_UseInsideALambda_IsSeen()
    {
        var uses = AssemblyReferences.Read(typeof(ArchitectureTests).Assembly.Location).Uses;

        uses[typeof(LambdaUser).FullName!].Should().Contain("[System.Text.Json]System.Text.Json.JsonDocument");
        uses[typeof(LambdaUser).FullName!].Should().Contain(typeof(Boundaries).FullName!);
    }

    private static Dictionary<string, HashSet<string>> Map(params (string From, string To)[] pairs) =>
        pairs.GroupBy(p => p.From).ToDictionary(g => g.Key, g => g.Select(p => p.To).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
}
