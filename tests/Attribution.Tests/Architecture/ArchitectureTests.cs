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
