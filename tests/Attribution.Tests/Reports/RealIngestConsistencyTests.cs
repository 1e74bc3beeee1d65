using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Attribution.Ingest;
using Attribution.Linking;
using Attribution.Tests.Git;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Webhooks;
using LibGit2Sharp;
using Microsoft.Extensions.DependencyInjection;
using Attribution.Tests.Hosting;

namespace Attribution.Tests.Reports;

/// <summary>
/// Issue 18's consistency check over a graph that arrived only through the real ingest paths: a git repository built
/// here and ingested as <c>ingest git</c> does, Claude Code transcripts posted to the import endpoint, PRs and CI runs as
/// signed GitHub deliveries, then the attribution pass. Five pieces of work cover every verdict: one held up, one fixed
/// on its own lines, one reverted, one too young to judge, one still in review.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class RealIngestConsistencyTests(RealIngestConsistencyTests.App fixture) : IClassFixture<RealIngestConsistencyTests.App>
{
    public sealed class App : AppFixture
    {
        protected override IDictionary<string, string?> Settings => SignedWebhookClient.AllSecrets;
    }

    private const string Cwd = "/home/dev/app";

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task RealGitTranscriptsAndDeliveries_EverySurfaceGivesTheSameVerdictFigures(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var slug = $"acme/real-{Guid.NewGuid():N}"[..20];
        var now = DateTimeOffset.UtcNow;
        using var repo = TestRepository.Create();
        repo.Commit("Initial commit", now.AddDays(-60), "README.md", "# app\n");
        var main = repo.CurrentBranch;
        var work = new List<Work>();

        // Work that held up: a later commit by someone else adds to its file without changing its lines.
        var held = Build(repo, main, 1, now.AddDays(-40));
        repo.Commit("docs: note on module 1", now.AddDays(-37), "src/pr1.py", Lines(1) + "note = 'reviewed'\n", "Ana", "ana@example.com");
        // Work fixed within 14 days: a fix rewrites one of its lines.
        var fixedWork = Build(repo, main, 2, now.AddDays(-39));
        repo.Commit("fix: correct value in module 2", now.AddDays(-37).AddHours(2), "src/pr2.py", Lines(2).Replace("compute(0)", "compute(100)", StringComparison.Ordinal), "Ana", "ana@example.com");
        // Work reverted within 14 days.
        var reverted = Build(repo, main, 3, now.AddDays(-38));
        repo.Commit($"Revert \"Work of PR 3\"\n\nThis reverts commit {reverted.Sha}.\n", now.AddDays(-36), new Dictionary<string, string?> { ["src/pr3.py"] = null }, "Ana", "ana@example.com");
        // Work merged three days ago and fixed since: too young to judge.
        var young = Build(repo, main, 4, now.AddDays(-3));
        repo.Commit("fix: handle empty input in module 4", now.AddDays(-2), "src/pr4.py", Lines(4).Replace("compute(1)", "compute(-1)", StringComparison.Ordinal), "Ana", "ana@example.com");
        // Work in review: its branch is not merged, its CI still runs.
        var open = Build(repo, main, 5, now.AddDays(-1), merge: false);
        work.AddRange([held, fixedWork, reverted, young, open]);

        await app.Services.GetRequiredService<GitIngestService>().RegisterAndIngestAsync(slug, repo.Path, null, null, CancellationToken.None);
        using var http = app.CreateClient();
        var hooks = new SignedWebhookClient(http);
        foreach (var (w, ci) in work.Zip(new[] { "success", "failure", "success", "success", "in_progress" }))
        {
            using var transcript = new ByteArrayContent(Encoding.UTF8.GetBytes(Transcript(w)));
            transcript.Headers.ContentType = new("application/x-ndjson");
            (await http.PostAsync($"/api/sessions/import?agent=claude-code&repo={slug}", transcript)).StatusCode.Should().Be(HttpStatusCode.OK);
            (await hooks.GitHubAsync("pull_request", PullRequest(slug, main, w))).StatusCode.Should().Be(HttpStatusCode.Accepted);
            (await hooks.GitHubAsync("workflow_run", WorkflowRun(slug, w, ci))).StatusCode.Should().Be(HttpStatusCode.Accepted);
        }

        await Eventually.CountAtLeastAsync(app.Database, "SELECT count(*) FROM pr_outcomes WHERE repo_slug = @Slug", new { Slug = slug }, 5);
        await Eventually.CountAtLeastAsync(app.Database, "SELECT count(*) FROM ci_runs WHERE repo_slug = @Slug", new { Slug = slug }, 5);
        await app.Services.GetRequiredService<AttributionBackfill>().RunAsync(slug, TimeSpan.FromDays(3650), null, CancellationToken.None);

        var (seen, yield) = await VerdictSurfaces.AssertAgreeAsync(app, slug, work.Select(w => (w.Session, w.Pr)).ToList());

        // Every verdict is present, as the history says: held up, fixed or reverted, too young or in review.
        seen.Select(s => s.Item1).Should().Contain([true, false, null]);
        seen.Select(s => s.Item2).Should().Contain(["success", "failure", "pending"]);
        yield.GetProperty("totals").GetProperty("stillGoodRate").GetDouble().Should().BeApproximately(1.0 / 3, 1e-4, "PRs 1, 2 and 3 are old enough; only PR 1 held up");
    }

    private sealed record Work(int Pr, string Session, string Branch, string Sha, string? MergeSha, DateTimeOffset At);

    private static string Lines(int pr) => string.Concat(Enumerable.Range(0, 4).Select(k => $"work_{pr}_{k} = compute({k})\n"));

    /// <summary>A session's work on its own branch (one commit at <paramref name="at"/>), merged into main an hour later unless open.</summary>
    private static Work Build(TestRepository repo, string main, int pr, DateTimeOffset at, bool merge = true)
    {
        var branch = $"feat/pr{pr}";
        repo.Branch(branch);
        var sha = repo.Commit($"Work of PR {pr}", at, $"src/pr{pr}.py", Lines(pr));
        repo.Checkout(main);
        string? mergeSha = null;
        if (merge)
        {
            var signature = new Signature("Dev", "dev@example.com", at.AddHours(1));
            var result = repo.Repo.Merge(repo.Repo.Branches[branch], signature, new MergeOptions { FastForwardStrategy = FastForwardStrategy.NoFastForward });
            mergeSha = result.Commit.Sha;
        }

        return new Work(pr, Guid.NewGuid().ToString(), branch, sha, mergeSha, at);
    }

    /// <summary>A Claude Code transcript: the prompt, a Write of the work's file, and the <c>git commit</c> that printed its sha.</summary>
    private static string Transcript(Work w)
    {
        static string Ts(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var lines = new[]
        {
            new JsonObject
            {
                ["type"] = "user", ["timestamp"] = Ts(w.At.AddMinutes(-30)), ["sessionId"] = w.Session, ["cwd"] = Cwd, ["gitBranch"] = w.Branch, ["uuid"] = "u1",
                ["message"] = new JsonObject { ["role"] = "user", ["content"] = $"Implement module {w.Pr}" },
            },
            new JsonObject
            {
                ["type"] = "assistant", ["timestamp"] = Ts(w.At.AddMinutes(-20)), ["sessionId"] = w.Session, ["cwd"] = Cwd, ["gitBranch"] = w.Branch, ["uuid"] = "a1",
                ["message"] = new JsonObject
                {
                    ["role"] = "assistant", ["model"] = "claude-opus-4-6",
                    ["content"] = new JsonArray(new JsonObject { ["type"] = "tool_use", ["id"] = "t1", ["name"] = "Write", ["input"] = new JsonObject { ["file_path"] = $"{Cwd}/src/pr{w.Pr}.py", ["content"] = Lines(w.Pr) } }),
                },
            },
            new JsonObject
            {
                ["type"] = "user", ["timestamp"] = Ts(w.At.AddMinutes(-19)), ["sessionId"] = w.Session, ["cwd"] = Cwd, ["gitBranch"] = w.Branch, ["uuid"] = "u2",
                ["message"] = new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = "t1", ["content"] = "File created successfully" }) },
            },
            new JsonObject
            {
                ["type"] = "assistant", ["timestamp"] = Ts(w.At.AddSeconds(-5)), ["sessionId"] = w.Session, ["cwd"] = Cwd, ["gitBranch"] = w.Branch, ["uuid"] = "a2",
                ["message"] = new JsonObject
                {
                    ["role"] = "assistant", ["model"] = "claude-opus-4-6",
                    ["content"] = new JsonArray(new JsonObject { ["type"] = "tool_use", ["id"] = "t2", ["name"] = "Bash", ["input"] = new JsonObject { ["command"] = $"git add -A && git commit -m 'Work of PR {w.Pr}'" } }),
                },
            },
            new JsonObject
            {
                ["type"] = "user", ["timestamp"] = Ts(w.At.AddSeconds(5)), ["sessionId"] = w.Session, ["cwd"] = Cwd, ["gitBranch"] = w.Branch, ["uuid"] = "u3",
                ["message"] = new JsonObject
                {
                    ["role"] = "user",
                    ["content"] = new JsonArray(new JsonObject { ["type"] = "tool_result", ["tool_use_id"] = "t2", ["content"] = $"[{w.Branch} {w.Sha[..7]}] Work of PR {w.Pr}\n 1 file changed, 4 insertions(+)" }),
                },
            },
        };
        return string.Join('\n', lines.Select(l => l.ToJsonString())) + "\n";
    }

    /// <summary>The PR as GitHub delivers it: closed and merged (with its merge commit), or opened.</summary>
    private static byte[] PullRequest(string slug, string main, Work w)
    {
        var delivery = JsonNode.Parse(FixtureFiles.ReadFixture(w.MergeSha is null ? "github/pull_request.opened.json" : "github/pull_request.closed.not-merged.json"))!;
        delivery["number"] = w.Pr;
        delivery["repository"]!["full_name"] = slug;
        delivery["repository"]!["name"] = slug.Split('/')[1];
        var pr = delivery["pull_request"]!;
        pr["number"] = w.Pr;
        pr["title"] = $"Work of PR {w.Pr}";
        pr["html_url"] = $"https://github.com/{slug}/pull/{w.Pr}";
        pr["head"]!["ref"] = w.Branch;
        pr["head"]!["sha"] = w.Sha;
        pr["base"]!["ref"] = main;
        pr["created_at"] = w.At.AddMinutes(10).ToString("o");
        pr["updated_at"] = w.At.AddHours(1).ToString("o");
        if (w.MergeSha is not null)
        {
            pr["merged"] = true;
            pr["merged_at"] = w.At.AddHours(1).ToString("o");
            pr["closed_at"] = w.At.AddHours(1).ToString("o");
            pr["merge_commit_sha"] = w.MergeSha;
        }

        return Encoding.UTF8.GetBytes(delivery.ToJsonString());
    }

    /// <summary>A workflow run on the merge commit (or the head of work in review), completed with <paramref name="conclusion"/> or still running.</summary>
    private static byte[] WorkflowRun(string slug, Work w, string conclusion)
    {
        var delivery = JsonNode.Parse(FixtureFiles.ReadFixture("github/workflow_run.completed.json"))!;
        delivery["repository"]!["full_name"] = slug;
        delivery["repository"]!["name"] = slug.Split('/')[1];
        var run = delivery["workflow_run"]!;
        run["id"] = 7000 + w.Pr;
        run["head_sha"] = w.MergeSha ?? w.Sha;
        run["head_branch"] = w.MergeSha is null ? w.Branch : "main";
        run["created_at"] = w.At.AddHours(2).ToString("o");
        run["updated_at"] = w.At.AddHours(2).AddMinutes(5).ToString("o");
        if (conclusion == "in_progress")
        {
            delivery["action"] = "in_progress";
            run["status"] = "in_progress";
            run["conclusion"] = null;
        }
        else
        {
            run["conclusion"] = conclusion;
        }

        return Encoding.UTF8.GetBytes(delivery.ToJsonString());
    }
}
