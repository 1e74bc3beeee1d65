using Attribution.Store;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Decisions;

public sealed class DecisionStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 2, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly string Sha = "abc123d" + new string('0', 33);

    private static DecisionRecord Decision(string id, string? project = "acme/shop", long? pr = null, string? commit = null, int minutes = 0) => new()
    {
        Id = id, Summary = "decision " + id, Confidence = 0.7, Project = project, PrNumber = pr, CommitSha = commit, CreatedTs = T0.AddMinutes(minutes),
    };

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ListForCommitAsync_FullOrAbbreviatedCommit_MatchesThatCommitOnly(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = new DecisionStore(db.Connections);
        await store.InsertAsync(Decision("00000001", commit: "abc123d"), CancellationToken.None);
        await store.InsertAsync(Decision("00000002", commit: Sha, minutes: 1), CancellationToken.None);
        await store.InsertAsync(Decision("00000003", commit: "abc1230"), CancellationToken.None);
        await store.InsertAsync(Decision("00000004", project: "other/repo", commit: Sha), CancellationToken.None);

        var found = await store.ListForCommitAsync("Acme/Shop", Sha.ToUpperInvariant(), CancellationToken.None);

        found.Select(d => d.Id).Should().Equal("00000001", "00000002");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ListForPrAsync_Number_MatchesRepoAndNumber(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = new DecisionStore(db.Connections);
        await store.InsertAsync(Decision("00000001", pr: 8), CancellationToken.None);
        await store.InsertAsync(Decision("00000002", pr: 9), CancellationToken.None);
        await store.InsertAsync(Decision("00000003", project: "other/repo", pr: 8), CancellationToken.None);

        var found = await store.ListForPrAsync("acme/shop", 8, CancellationToken.None);

        found.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Id = "00000001", PrNumber = 8L, Project = "acme/shop", Confidence = 0.7 });
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task InsertAsync_TakenId_ReturnsFalseAndKeepsFirst(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = new DecisionStore(db.Connections);
        (await store.InsertAsync(Decision("00000001"), CancellationToken.None)).Should().BeTrue();

        var second = await store.InsertAsync(Decision("00000001") with { Summary = "other" }, CancellationToken.None);

        second.Should().BeFalse();
        (await store.FindAsync("00000001", CancellationToken.None))!.Summary.Should().Be("decision 00000001");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task QueryAsync_Filters_CombineAndOrderNewestFirst(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = new DecisionStore(db.Connections);
        await store.InsertAsync(Decision("00000001", pr: 8) with { Feature = "f", Category = "code-review" }, CancellationToken.None);
        await store.InsertAsync(Decision("00000002", pr: 8, minutes: 5) with { Feature = "f", Category = "code-review" }, CancellationToken.None);
        await store.InsertAsync(Decision("00000003", pr: 8, minutes: 9) with { Feature = "g", Category = "code-review" }, CancellationToken.None);
        await store.ReviewAsync("00000001", "success", null, T0, CancellationToken.None);

        var open = await store.QueryAsync(new DecisionFilter { Project = "ACME/shop", Pr = 8, Feature = "f", HasOutcome = false }, CancellationToken.None);
        var recent = await store.QueryAsync(new DecisionFilter { Since = T0.AddMinutes(1), Until = T0.AddMinutes(6) }, CancellationToken.None);

        open.Select(d => d.Id).Should().Equal("00000002");
        recent.Select(d => d.Id).Should().Equal("00000002");
    }
}
