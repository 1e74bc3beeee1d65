using Attribution.Tests.Hosting;
namespace Attribution.Tests.Infrastructure;

/// <summary>
/// One repository's attribution graph, relative to now: a commit from 2 days ago authored by a Claude Code
/// session (1.0) and weakly touched by a Codex session (0.3), in merged PR #42 whose merge commit passed
/// CI, touched 3 times since (1 fix, 1 revert, 1 other); and a 20-day-old commit touched once (other).
/// </summary>
public sealed record SeededGraph(
    string Repo, string Sha, string MergeSha, string AuthoredSession, string WeakSession,
    string RevertSha, string FixSha, string OtherSha, string OldSha, DateTimeOffset CommittedAt)
{
    public const int PrNumber = 42;

    public static async Task<SeededGraph> SeedAsync(GraphSeeder seed)
    {
        var now = DateTimeOffset.UtcNow;
        var repo = GraphSeeder.NewRepo();
        var graph = new SeededGraph(
            Repo: repo,
            Sha: GraphSeeder.NewSha(),
            MergeSha: GraphSeeder.NewSha(),
            AuthoredSession: GraphSeeder.NewSessionId(),
            WeakSession: GraphSeeder.NewSessionId(),
            RevertSha: GraphSeeder.NewSha(),
            FixSha: GraphSeeder.NewSha(),
            OtherSha: GraphSeeder.NewSha(),
            OldSha: GraphSeeder.NewSha(),
            CommittedAt: now.AddDays(-2));

        var at = graph.CommittedAt;
        await seed.CommitAsync(repo, graph.Sha, "Add retry to the uploader\n\nCo-Authored-By: Claude <noreply@anthropic.com>", at);
        await seed.CommitAsync(repo, graph.MergeSha, "Merge pull request #42 from acme/feat/x", at.AddHours(2));
        await seed.CommitAsync(repo, graph.FixSha, "Fix off-by-one in uploader retry", at.AddHours(20));
        await seed.CommitAsync(repo, graph.OtherSha, "Rename uploader settings", at.AddHours(22));
        await seed.CommitAsync(repo, graph.RevertSha, $"Revert \"Add retry to the uploader\"\n\nThis reverts commit {graph.Sha}.", at.AddHours(30), revertsSha: graph.Sha);
        await seed.CommitAsync(repo, graph.OldSha, "Tidy the README", now.AddDays(-20));

        await seed.SessionAsync(graph.AuthoredSession, "claude-code", "claude-opus-4-6", repo, 0.42, at.AddHours(-1), at.AddMinutes(10));
        await seed.SessionAsync(graph.WeakSession, "codex", "gpt-5-codex", repo, 1.25, at.AddHours(-3), at.AddHours(-2));
        await seed.LinkAsync(repo, graph.Sha, graph.AuthoredSession, "authored", 1.0, """{"method":"commit-output","command":"git commit -m 'Add retry'"}""");
        await seed.LinkAsync(repo, graph.Sha, graph.WeakSession, "inferred-by-touch", 0.3, """{"method":"file-overlap","files":["src/app.py"]}""");

        await seed.PrAsync(repo, PrNumber, "Uploader retries", "merged", at.AddMinutes(30), mergedAt: at.AddHours(2),
            headSha: graph.Sha, mergeSha: graph.MergeSha, downstreamTouchCount: 3);
        await seed.PrCommitAsync(repo, PrNumber, graph.Sha);
        await seed.SessionPrLinkAsync(graph.AuthoredSession, repo, PrNumber);

        await seed.CiRunAsync(repo, "run-" + graph.Sha[..8], graph.Sha, "success", at.AddMinutes(40));
        await seed.CiRunAsync(repo, "merge-" + graph.MergeSha[..8], graph.MergeSha, "success", at.AddHours(2.5));

        await seed.TouchAsync(repo, "commit", graph.Sha, graph.FixSha, "fix", at.AddHours(20));
        await seed.TouchAsync(repo, "commit", graph.Sha, graph.OtherSha, "other", at.AddHours(22));
        await seed.TouchAsync(repo, "commit", graph.Sha, graph.RevertSha, "revert", at.AddHours(30));
        await seed.TouchAsync(repo, "pr", "42", graph.FixSha, "fix", at.AddHours(20));
        await seed.TouchAsync(repo, "pr", "42", graph.OtherSha, "other", at.AddHours(22));
        await seed.TouchAsync(repo, "pr", "42", graph.RevertSha, "revert", at.AddHours(30));

        await seed.TouchAsync(repo, "commit", graph.OldSha, GraphSeeder.NewSha(), "other", now.AddDays(-19));
        return graph;
    }
}
