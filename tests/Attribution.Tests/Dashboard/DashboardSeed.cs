using Attribution.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Attribution.Store;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace Attribution.Tests.Dashboard;

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

        await using var c = await connections.OpenAsync(CancellationToken.None);
        await Session(c, Merged, "claude-code", "claude-opus-4-6", Repo, Now.AddDays(-20), 1.50, "Sort widgets");
        await Session(c, InReview, "codex", "gpt-5-codex", Repo, Now.AddDays(-2), 0.80, "Cache lookups");
        await Session(c, Reverted, "claude-code", "claude-opus-4-6", Repo, Now.AddDays(-25), 2.00, "Parser rewrite");
        await Session(c, Committed, "claude-code", "claude-sonnet-4-5", Repo, Now.AddDays(-1), 0.30, null);
        await Session(c, Abandoned, "codex", "gpt-5-codex", Repo, Now.AddDays(-3), 0.10, null);
        await Session(c, NoRepo, "claude-code", "claude-opus-4-6", null, Now.AddHours(-5), null, "Explain a stack trace");
        await Session(c, OtherMerged, "claude-code", "claude-opus-4-6", OtherRepo, Now.AddDays(-6), 0.60, null);

        await Link(c, C1, Repo, Merged, "authored", 1.0, """{"method":"commit-output","command":"git commit -m \"Add widget sorting\""}""");
        await Link(c, C2, Repo, InReview, "co-authored", 0.85, """{"method":"trailer","trailer":"Co-authored-by: Codex <noreply@openai.com>"}""");
        await Link(c, C3, Repo, Reverted, "authored", 1.0, """{"method":"commit-output"}""");
        await Link(c, C4, Repo, Committed, "inferred-by-touch", 0.7, """{"method":"touch","files":["src/log.cs"],"gapMinutes":5}""");
        await Link(c, C5, Repo, Abandoned, "inferred-by-touch", 0.3, """{"method":"touch","files":["README.md"],"gapMinutes":900}""");
        await Link(c, C6, OtherRepo, OtherMerged, "authored", 1.0, """{"method":"commit-output"}""");

        await Pr(c, Repo, 42, "Sort widgets by size", "merged", Now.AddDays(-19), null, [C1]);
        await Pr(c, Repo, 43, XssTitle, "open", null, null, [C2]);
        await Pr(c, Repo, 44, "Parser rewrite", "merged", Now.AddDays(-24), Now.AddDays(-22), [C3]);
        await Pr(c, OtherRepo, 7, "Gadget endpoint", "merged", Now.AddDays(-5), null, [C6]);
        await c.ExecuteAsync("""
            INSERT INTO session_pr_links (session_id, provider, repo_slug, pr_number, reason, confidence, evidence_json, established_ts)
            VALUES (@S, 'github', @R, 42, 'pushed-head-branch', 0.9, '{"branch":"feat/sort"}', @T)
            """, new { S = Merged, R = Repo, T = Now });

        await Ci(c, "github-actions", Repo, "run-1", C1, "success", Now.AddDays(-20).AddHours(2));
        await Ci(c, "github-actions", Repo, "run-2", C2, "failure", Now.AddDays(-2).AddHours(2));
        await Ci(c, "circleci", Repo, "run-3", C2, "success", Now.AddDays(-2).AddHours(3));

        await Touch(c, Repo, C1, Touch1, "other", Now.AddDays(-10), """["src/sort.cs"]""");
        await Touch(c, Repo, C3, Revert3, "revert", Now.AddDays(-22), """["src/parser.cs"]""");
        await c.ExecuteAsync("UPDATE pr_outcomes SET downstream_touch_count = 1, last_downstream_touch_ts = @T WHERE pr_number = 42", new { T = Now.AddDays(-10) });

        await c.ExecuteAsync("""
            INSERT INTO session_events (session_id, record_key, kind, ts, command, output_excerpt, is_error, sha, branch, subject, url, pr_number)
            VALUES (@S, 'r1', 'commit', @T, 'git commit -m "Add widget sorting"', '[feat/sort 1111111] Add widget sorting', 0, @Sha, 'feat/sort', 'Add widget sorting', NULL, NULL),
                   (@S, 'r2', 'pr-opened', @T2, 'gh pr create', 'https://github.com/acme/widgets/pull/42', 0, NULL, 'feat/sort', NULL, 'https://github.com/acme/widgets/pull/42', 42)
            """, new { S = Merged, T = Now.AddDays(-20).AddHours(1), T2 = Now.AddDays(-20).AddHours(1.5), Sha = C1 });

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

    private static Task Session(System.Data.Common.DbConnection c, string id, string agent, string model, string? repo, DateTimeOffset started, double? cost, string? title) =>
        c.ExecuteAsync("""
            INSERT INTO sessions (session_id, agent, model, started_ts, ended_ts, cwd, git_branch, repo_slug, input_tokens, output_tokens,
                                  cache_write_tokens, cache_read_tokens, cost_usd, title, updated_ts)
            VALUES (@Id, @Agent, @Model, @Started, @Ended, '/work/app', 'feat/x', @Repo, 1200, 3400, 100, 50000, @Cost, @Title, @Started)
            """, new { Id = id, Agent = agent, Model = model, Started = started, Ended = started.AddHours(2), Repo = repo, Cost = cost, Title = title });

    private static Task Link(System.Data.Common.DbConnection c, string sha, string repo, string session, string type, double confidence, string evidence) =>
        c.ExecuteAsync("""
            INSERT INTO commit_session_link (commit_sha, repo_slug, session_id, link_type, confidence, evidence_json, established_ts)
            VALUES (@Sha, @Repo, @Session, @Type, @Confidence, @Evidence, @Now)
            """, new { Sha = sha, Repo = repo, Session = session, Type = type, Confidence = confidence, Evidence = evidence, Now });

    private static async Task Pr(System.Data.Common.DbConnection c, string repo, int number, string title, string state, DateTimeOffset? mergedAt, DateTimeOffset? revertedAt, string[] shas)
    {
        await c.ExecuteAsync("""
            INSERT INTO pr_outcomes (provider, repo_slug, pr_number, title, state, merged_at, reverted_at, author, url, head_ref, base_ref, created_at, updated_ts)
            VALUES ('github', @Repo, @Number, @Title, @State, @MergedAt, @RevertedAt, 'dev', @Url, 'feat/x', 'main', @Created, @Now)
            """, new { Repo = repo, Number = number, Title = title, State = state, MergedAt = mergedAt, RevertedAt = revertedAt, Url = $"https://github.com/{repo}/pull/{number}", Created = Now.AddDays(-30), Now });
        foreach (var sha in shas)
        {
            await c.ExecuteAsync("INSERT INTO pr_commits (provider, repo_slug, pr_number, sha, source) VALUES ('github', @Repo, @Number, @Sha, 'git')",
                new { Repo = repo, Number = number, Sha = sha });
        }
    }

    private static Task Ci(System.Data.Common.DbConnection c, string provider, string repo, string runId, string sha, string status, DateTimeOffset at) =>
        c.ExecuteAsync("""
            INSERT INTO ci_runs (provider, repo_slug, run_id, commit_sha, status, workflow_name, url, started_ts, completed_ts, updated_ts)
            VALUES (@Provider, @Repo, @RunId, @Sha, @Status, 'build', 'javascript:alert(2)', @Started, @At, @At)
            """, new { Provider = provider, Repo = repo, RunId = runId, Sha = sha, Status = status, Started = at.AddMinutes(-5), At = at });

    private static Task Touch(System.Data.Common.DbConnection c, string repo, string target, string touch, string classification, DateTimeOffset at, string files) =>
        c.ExecuteAsync("""
            INSERT INTO downstream_touches (repo_slug, target_kind, target_key, touch_sha, classification, touched_ts, files_json)
            VALUES (@Repo, 'commit', @Target, @Touch, @Classification, @At, @Files)
            """, new { Repo = repo, Target = target, Touch = touch, Classification = classification, At = at, Files = files });
}
