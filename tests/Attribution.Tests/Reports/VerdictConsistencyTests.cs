using Attribution.Tests.Infrastructure;
using Attribution.Tests.Hosting;

namespace Attribution.Tests.Reports;

/// <summary>
/// Issue 18's consistency check: one graph, every surface that shows a verdict, the same still-good, CI and touch
/// figures for every session and PR: the session document (HTTP, CLI <c>--json</c>, MCP), the CLI sentence,
/// <c>/api/yield</c> and the <c>/yield</c> page, the PR stage report (<c>/api/pr-attribution</c>) and the PR page.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class VerdictConsistencyTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private sealed record Work(string Session, int Pr, string Sha);

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task EverySurface_GivesTheSameVerdictFigures(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var seed = new GraphSeeder(app.Database.Connections);
        var repo = GraphSeeder.NewRepo();
        var now = DateTimeOffset.UtcNow;
        var works = new List<Work>();

        async Task<Work> SeedAsync(int pr, string state, DateTimeOffset at, string? ci, string? touch, bool reverted = false, bool ciOnHeadOnly = false)
        {
            var session = GraphSeeder.NewSessionId();
            var sha = GraphSeeder.NewSha();
            var merge = state == "merged" ? GraphSeeder.NewSha() : null;
            await seed.SessionAsync(session, "claude-code", "claude-opus-4-6", repo, 0.25 * pr, at.AddHours(-2), at.AddHours(-1));
            await seed.CommitAsync(repo, sha, $"Work of PR {pr}", at);
            await seed.LinkAsync(repo, sha, session, "authored", 1.0);
            await seed.PrAsync(repo, pr, $"PR {pr}", state, at, mergedAt: merge is null ? null : at.AddHours(1), headSha: sha, mergeSha: merge,
                revertedAt: reverted ? at.AddDays(2) : null);
            await seed.PrCommitAsync(repo, pr, sha);
            await seed.SessionPrLinkAsync(session, repo, pr);
            if (ci is not null)
            {
                await seed.CiRunAsync(repo, $"run-{pr}", ciOnHeadOnly || merge is null ? sha : merge, ci, at.AddHours(2));
            }

            if (touch is not null)
            {
                await seed.TouchAsync(repo, "commit", sha, GraphSeeder.NewSha(), touch, at.AddDays(3));
                await seed.TouchAsync(repo, "commit", sha, GraphSeeder.NewSha(), "other", at.AddDays(4));
            }

            var work = new Work(session, pr, sha);
            works.Add(work);
            return work;
        }

        await SeedAsync(1, "merged", now.AddDays(-40), "success", "other");                      // still good
        await SeedAsync(2, "merged", now.AddDays(-40), "failure", "fix");                        // a fix within 14 days
        await SeedAsync(3, "merged", now.AddDays(-40), "success", null, reverted: true);         // reverted by a revert PR
        await SeedAsync(4, "merged", now.AddDays(-3), "success", "fix");                         // too young to judge
        await SeedAsync(5, "open", now.AddDays(-1), "in_progress", null, ciOnHeadOnly: true);    // in review, CI on its head only
        var (seen, yield) = await VerdictSurfaces.AssertAgreeAsync(app, repo, works.Select(w => (w.Session, w.Pr)).ToList());

        // The graph covers each verdict: still good, not still good, too young or not judged; CI passed, failed, pending.
        seen.Select(s => s.Item1).Should().Contain([true, false, null]);
        seen.Select(s => s.Item2).Should().Contain(["success", "failure", "pending"]);
        var stillGoodRate = yield.GetProperty("totals").GetProperty("stillGoodRate").GetDouble();
        stillGoodRate.Should().BeApproximately(1.0 / 3, 1e-4, "PRs 1, 2 and 3 are old enough; only PR 1 held up");
    }
}
