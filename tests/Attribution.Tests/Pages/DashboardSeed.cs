using Attribution.Common;
using Attribution.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Attribution.Store;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using Attribution.Tests.Hosting;

namespace Attribution.Tests.Pages;

/// <summary>
/// A small, fully known attribution graph (raw SQL plus the shared <see cref="CommitStore"/>), with the
/// numbers the dashboard must show for it. Until ingest and linking land, this stands in for them.
/// </summary>
public static class DashboardSeed
{
    public static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    public const string Repo = "acme/widgets";
    public const string OtherRepo = "acme/gadgets";
    public const string XssTitle = "<script>alert(1)</script>";

    public const string Merged = "sess-merged-0001";
    public const string InReview = "sess-review-0002";
    public const string Reverted = "sess-reverted-0003";
    public const string Committed = "sess-committed-0004";
    public const string Abandoned = "sess-abandoned-0005";
    public const string NoRepo = "sess-norepo-0006";
    public const string OtherMerged = "sess-gadgets-0007";

    public static readonly string C1 = Sha('1');
    public static readonly string C2 = Sha('2');
    public static readonly string C3 = Sha('3');
    public static readonly string C4 = Sha('4');
    public static readonly string C5 = Sha('5');
    public static readonly string C6 = Sha('6');
    public static readonly string Touch1 = Sha('7');
    public static readonly string Revert3 = Sha('8');

    public static FakeTimeProvider Clock() => new(Now);

    /// <summary>
    /// The real host on Kestrel with the clock fixed at <see cref="Now"/> and no background attribution pass (it would
    /// recompute the seeded links), seeded when asked.
    /// </summary>
    public static async Task<AttributionApp> StartHostAsync(string provider, bool seed, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["Attribution:Linking:Background"] = "false" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var host = await AttributionApp.StartOnKestrelAsync(provider, all, Clock());
        if (seed)
        {
            await SeedAsync(host.Services.GetRequiredService<IDbConnectionFactory>());
            // The seed writes rows directly: say so, as every store write does, so no report computed at start-up is reused.
            host.Services.GetRequiredService<Attribution.Common.ChangeSignal>().Notify("seed");
        }

        return host;
    }

    public static async Task SeedAsync(IDbConnectionFactory connections)
    {
        var store = new CommitStore(connections, Clock());
        await store.UpsertAsync(
        [
            Commit(Repo, C1, Now.AddDays(-20).AddHours(1), "Add widget sorting", "src/sort.cs"),
            Commit(Repo, C2, Now.AddDays(-2).AddHours(1), "Cache widget lookups", "src/cache.cs"),
            Commit(Repo, C3, Now.AddDays(-25).AddHours(1), "Rewrite widget parser", "src/parser.cs"),
            Commit(Repo, C4, Now.AddDays(-1).AddHours(1), "Tidy logging", "src/log.cs"),
            Commit(Repo, C5, Now.AddDays(-3).AddHours(1), "Unrelated change", "README.md"),
            Commit(OtherRepo, C6, Now.AddDays(-6).AddHours(1), "Gadget endpoint", "api/gadget.cs"),
            Commit(Repo, Touch1, Now.AddDays(-10), "Extend sorting to names", "src/sort.cs"),
            Commit(Repo, Revert3, Now.AddDays(-22), $"Revert \"Rewrite widget parser\"\n\nThis reverts commit {C3}.", "src/parser.cs") with { RevertsSha = C3 },
        ], CancellationToken.None);

        var seed = new GraphSeeder(connections, Clock());
        Task Session(string id, string agent, string model, string? repo, DateTimeOffset started, double? cost, string? title, IReadOnlyList<SessionEventRecord>? events = null) =>
            seed.SessionAsync(id, agent, model, repo, cost, started, started.AddHours(2), "feat/x", 1200, 3400, 100, 50000, title, events);
        await Session(Merged, "claude-code", "claude-opus-4-6", Repo, Now.AddDays(-20), 1.50, "Sort widgets",
        [
            new SessionEventRecord
            {
                SessionId = Merged, RecordKey = "r1", Kind = SessionEventKinds.Commit, Ts = Now.AddDays(-20).AddHours(1),
                Command = "git commit -m \"Add widget sorting\"", OutputExcerpt = "[feat/sort 1111111] Add widget sorting", IsError = false,
                Sha = C1, Branch = "feat/sort", Subject = "Add widget sorting",
            },
            new SessionEventRecord
            {
                SessionId = Merged, RecordKey = "r2", Kind = SessionEventKinds.PullRequest, Ts = Now.AddDays(-20).AddHours(1.5),
                Command = "gh pr create", OutputExcerpt = "https://github.com/acme/widgets/pull/42", IsError = false,
                Branch = "feat/sort", Url = "https://github.com/acme/widgets/pull/42", PrNumber = 42,
            },
        ]);
        await Session(InReview, "codex", "gpt-5-codex", Repo, Now.AddDays(-2), 0.80, "Cache lookups");
        await Session(Reverted, "claude-code", "claude-opus-4-6", Repo, Now.AddDays(-25), 2.00, "Parser rewrite");
        await Session(Committed, "claude-code", "claude-sonnet-4-5", Repo, Now.AddDays(-1), 0.30, null);
        await Session(Abandoned, "codex", "gpt-5-codex", Repo, Now.AddDays(-3), 0.10, null);
        await Session(NoRepo, "claude-code", "claude-opus-4-6", null, Now.AddHours(-5), null, "Explain a stack trace");
        await Session(OtherMerged, "claude-code", "claude-opus-4-6", OtherRepo, Now.AddDays(-6), 0.60, null);

        await seed.LinkAsync(Repo, C1, Merged, "authored", 1.0, """{"method":"commit-output","command":"git commit -m \"Add widget sorting\""}""");
        await seed.LinkAsync(Repo, C2, InReview, "co-authored", 0.85, """{"method":"trailer","trailer":"Co-authored-by: Codex <noreply@openai.com>"}""");
        await seed.LinkAsync(Repo, C3, Reverted, "authored", 1.0, """{"method":"commit-output"}""");
        await seed.LinkAsync(Repo, C4, Committed, "inferred-by-touch", 0.7, """{"method":"touch","files":["src/log.cs"],"gapMinutes":5}""");
        await seed.LinkAsync(Repo, C5, Abandoned, "inferred-by-touch", 0.3, """{"method":"touch","files":["README.md"],"gapMinutes":900}""");
        await seed.LinkAsync(OtherRepo, C6, OtherMerged, "authored", 1.0, """{"method":"commit-output"}""");

        async Task Pr(string repo, int number, string title, string state, DateTimeOffset? mergedAt, DateTimeOffset? revertedAt, string[] shas, int touches = 0)
        {
            await seed.PrAsync(repo, number, title, state, Now.AddDays(-30), mergedAt, downstreamTouchCount: touches, revertedAt: revertedAt, lastTouchAt: touches > 0 ? Now.AddDays(-10) : null);
            foreach (var sha in shas)
            {
                await seed.PrCommitAsync(repo, number, sha);
            }
        }

        await Pr(Repo, 42, "Sort widgets by size", "merged", Now.AddDays(-19), null, [C1], touches: 1);
        await Pr(Repo, 43, XssTitle, "open", null, null, [C2]);
        await Pr(Repo, 44, "Parser rewrite", "merged", Now.AddDays(-24), Now.AddDays(-22), [C3]);
        await Pr(OtherRepo, 7, "Gadget endpoint", "merged", Now.AddDays(-5), null, [C6]);
        await seed.SessionPrLinkAsync(Merged, Repo, 42, reason: "pushed-head-branch", confidence: 0.9, evidenceJson: """{"branch":"feat/sort"}""");

        // The run's url is hostile on purpose: pages must not link it.
        await seed.CiRunAsync(Repo, "run-1", C1, "success", Now.AddDays(-20).AddHours(2), url: "javascript:alert(2)");
        await seed.CiRunAsync(Repo, "run-2", C2, "failure", Now.AddDays(-2).AddHours(2), url: "javascript:alert(2)");
        await seed.CiRunAsync(Repo, "run-3", C2, "success", Now.AddDays(-2).AddHours(3), provider: "circleci", url: "javascript:alert(2)");

        await seed.TouchAsync(Repo, "commit", C1, Touch1, "other", Now.AddDays(-10), filesJson: """["src/sort.cs"]""");
        await seed.TouchAsync(Repo, "commit", C3, Revert3, "revert", Now.AddDays(-22), filesJson: """["src/parser.cs"]""");

        await using var c = await connections.OpenAsync(CancellationToken.None);
        // C1's git-ai note attested 12 of its 16 added lines as written by AI (docs/sources.md).
        await c.ExecuteAsync("INSERT INTO commit_ai_lines (repo_slug, sha, source, ai_lines, added_lines, updated_ts) VALUES (@R, @Sha, 'git-ai', 12, 16, @T)",
            new { R = Repo, Sha = C1, T = Now.AddDays(-20) });

        await c.ExecuteAsync("""
            INSERT INTO webhook_deliveries (receiver, delivery_id, event, action, repo_slug, status, reason, body_sha256, received_ts, processed_ts, attempts)
            VALUES ('github', 'delivery-abc', 'pull_request', 'closed', @R, 'processed', NULL, 'x', @T, @T, 1),
                   ('ci', 'delivery-def', 'ci', NULL, @R, 'failed', 'commitSha is not 40 hex', 'y', @T2, @T2, 1)
            """, new { R = Repo, T = Now.AddDays(-19), T2 = Now.AddDays(-1) });
    }

    private static string Sha(char c) => new(c, 40);

    private static CommitRecord Commit(string repo, string sha, DateTimeOffset at, string message, string file) => new()
    {
        RepoSlug = repo,
        Sha = sha,
        Source = "git",
        AuthorName = "Dev",
        AuthorEmail = "dev@example.com",
        AuthorTs = at,
        CommitterName = "Dev",
        CommitterEmail = "dev@example.com",
        CommitterTs = at,
        Message = message,
        FilesComplete = true,
        Files = [new CommitFileRecord(file, "modified", null, 10, 2)],
    };
}
