using System.Net;
using System.Text.Json.Nodes;
using Attribution.Backfill;
using Attribution.Tests.Backfill;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Webhooks;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Attribution.Tests.Providers;

/// <summary>
/// Webhooks and REST backfill are one write path: the same PR and CI runs, delivered as signed webhooks and read
/// from a fake GitHub REST API through the real backfill, give the same rows whichever comes first.
/// </summary>
public sealed class WritePathEquivalenceTests
{
    private const string Repo = "Codertocat/Hello-World";
    private const string Base = "/api/v3/repos/Codertocat/Hello-World";
    private const string Head = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
    private const string MergedAt = "2019-05-15T15:21:18Z";

    // The merged PR as its pull_request delivery carries it (the flag and merged_at) ...
    private static JsonObject PullRequestDelivery()
    {
        var node = Payloads.Node("github/pull_request.closed.not-merged.json");
        node["action"] = "closed";
        node["pull_request"]!["merged"] = true;
        node["pull_request"]!["merged_at"] = MergedAt;
        return node;
    }

    // ... and as the REST list answers it: the same object without the flag (list answers carry merged_at only).
    private static JsonObject PullRequestFromApi()
    {
        var pr = (JsonObject)PullRequestDelivery()["pull_request"]!.DeepClone();
        pr.Remove("merged");
        return pr;
    }

    private static JsonObject CheckRunDelivery() => Payloads.Node("github/check_run.completed.json");

    private static JsonObject WorkflowRunDelivery(Action<JsonObject>? edit = null)
    {
        var node = Payloads.Node("github/workflow_run.completed.json");
        node["repository"]!["full_name"] = Repo;
        node["workflow_run"]!["head_sha"] = Head;
        edit?.Invoke((JsonObject)node["workflow_run"]!);
        return node;
    }

    private static JsonObject StatusDelivery()
    {
        var node = Payloads.Node("github/status.success.json");
        node["repository"]!["full_name"] = Repo;
        node["sha"] = Head;
        node["target_url"] = "https://ci.example.com/1";
        return node;
    }

    // The REST status item carries the delivery's own fields (and no sha: it is the commit asked about).
    private static JsonObject StatusFromApi()
    {
        var hook = StatusDelivery();
        return new JsonObject
        {
            ["id"] = hook["id"]!.GetValue<long>(),
            ["state"] = hook["state"]!.GetValue<string>(),
            ["context"] = hook["context"]!.GetValue<string>(),
            ["description"] = hook["description"]?.DeepClone(),
            ["target_url"] = hook["target_url"]!.GetValue<string>(),
            ["created_at"] = hook["created_at"]!.GetValue<string>(),
            ["updated_at"] = hook["updated_at"]!.GetValue<string>(),
        };
    }

    private static void ArrangeApi(WireMockServer server, JsonObject workflowRun)
    {
        var merge = PullRequestFromApi()["merge_commit_sha"]!.GetValue<string>();
        Json(server, Base + "/pulls", new JsonArray(PullRequestFromApi()));
        Json(server, Base + "/pulls/2/commits", new JsonArray(FakeGitHub.Commit(Head, "Update README", "199eddf46df50de8d02e99bf1c5fdb4101338224")));
        Json(server, $"{Base}/commits/{Head}/check-runs", new JsonObject { ["total_count"] = 1, ["check_runs"] = new JsonArray(CheckRunDelivery()["check_run"]!.DeepClone()) });
        Json(server, $"{Base}/commits/{Head}/statuses", new JsonArray(StatusFromApi()));
        Json(server, $"{Base}/actions/runs", new JsonObject { ["total_count"] = 1, ["workflow_runs"] = new JsonArray(workflowRun) }, ("head_sha", Head));
        Json(server, $"{Base}/commits/{merge}/check-runs", new JsonObject { ["total_count"] = 0, ["check_runs"] = new JsonArray() });
        Json(server, $"{Base}/commits/{merge}/statuses", new JsonArray());
        Json(server, $"{Base}/actions/runs", new JsonObject { ["total_count"] = 0, ["workflow_runs"] = new JsonArray() }, ("head_sha", merge));
    }

    private static void Json(WireMockServer server, string path, JsonNode body, (string Key, string Value)? query = null)
    {
        // GitLab project paths travel as one %2F-encoded segment; accept the path however the server presents it.
        var request = Request.Create().WithPath(path, Uri.UnescapeDataString(path)).UsingGet();
        if (query is { } q)
        {
            request = request.WithParam(q.Key, q.Value);
        }

        server.Given(request).RespondWith(Response.Create().WithStatusCode(HttpStatusCode.OK)
            .WithHeader("Content-Type", "application/json; charset=utf-8").WithBody(body.ToJsonString()));
    }

    private sealed class Scenario : IAsyncDisposable
    {
        private Scenario(AttributionApp app, WireMockServer server)
        {
            App = app;
            Server = server;
            Context = new WebhookTestContext(app);
        }

        public AttributionApp App { get; }
        public WireMockServer Server { get; }
        public WebhookTestContext Context { get; }

        public static async Task<Scenario> StartAsync(string provider)
        {
            var server = WireMockServer.Start();
            var settings = new Dictionary<string, string?>(SignedWebhookClient.AllSecrets)
            {
                ["Attribution:Linking:Background"] = "false",
                ["Attribution:GitHub:ApiUrl"] = server.Url + "/api/v3/",
                ["Attribution:GitHub:Token"] = "test-token",
                ["Attribution:GitLab:Url"] = server.Url + "/",
                ["Attribution:GitLab:Token"] = "test-token",
            };
            return new Scenario(await AttributionApp.StartAsync(provider, settings), server);
        }

        public Task<BackfillStats> BackfillAsync() =>
            App.Services.GetRequiredService<BackfillService>().RunGitHubAsync(Repo, null, null, NoProgress.Instance, CancellationToken.None);

        public Task<BackfillStats> BackfillGitLabAsync() =>
            App.Services.GetRequiredService<BackfillService>().RunGitLabAsync(FakeGitLab.Project, null, NoProgress.Instance, CancellationToken.None);

        public async Task DeliverAsync(params (string Event, JsonObject Body)[] deliveries)
        {
            foreach (var (eventName, body) in deliveries)
            {
                var row = eventName.EndsWith(" Hook", StringComparison.Ordinal)
                    ? await Context.GitLabAsync(eventName, Payloads.Bytes(body))
                    : await Context.GitHubAsync(eventName, Payloads.Bytes(body));
                row.Status.Should().Be("processed", row.Reason);
            }
        }

        /// <summary>Every row a PR or CI write touches, without the columns that say when or from what copy it was written.</summary>
        public async Task<string> RowsAsync()
        {
            var lines = new List<string>();
            await using var connection = await App.Database.Connections.OpenAsync(CancellationToken.None);
            foreach (var (table, order, except) in new[]
            {
                ("pr_outcomes", "pr_number", new[] { "updated_ts", "raw_json" }),
                // source is provenance (the first writer of a membership row), not a fact about the PR.
                ("pr_commits", "pr_number, sha", ["source"]),
                ("ci_runs", "provider, repo_slug, run_id", ["updated_ts", "raw_json"]),
                ("commits", "sha", ["updated_ts"]),
            })
            {
                foreach (IDictionary<string, object?> row in await connection.QueryAsync($"SELECT * FROM {table} ORDER BY {order}"))
                {
                    lines.Add(table + ": " + string.Join(", ", row.Where(kv => !except.Contains(kv.Key)).Select(kv => $"{kv.Key}={kv.Value}")));
                }
            }

            return string.Join("\n", lines);
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            Server.Stop();
            Server.Dispose();
        }
    }

    private static (string, JsonObject)[] Deliveries() =>
    [
        ("pull_request", PullRequestDelivery()),
        ("check_run", CheckRunDelivery()),
        ("workflow_run", WorkflowRunDelivery()),
        ("status", StatusDelivery()),
    ];

    private static JsonObject WorkflowRunFromApi() => (JsonObject)WorkflowRunDelivery()["workflow_run"]!.DeepClone();

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task WebhookThenBackfill_AndBackfillThenWebhook_StoreTheSameRows(string provider)
    {
        await using var webhookFirst = await Scenario.StartAsync(provider);
        ArrangeApi(webhookFirst.Server, WorkflowRunFromApi());
        await webhookFirst.DeliverAsync(Deliveries());
        await webhookFirst.BackfillAsync();

        await using var backfillFirst = await Scenario.StartAsync(provider);
        ArrangeApi(backfillFirst.Server, WorkflowRunFromApi());
        await backfillFirst.BackfillAsync();
        await backfillFirst.DeliverAsync(Deliveries());

        var rows = await webhookFirst.RowsAsync();
        (await backfillFirst.RowsAsync()).Should().Be(rows);

        // And the rows are the right ones: merged (flag in the delivery, merged_at in the list answer), one run each.
        rows.Should().Contain("state=merged").And.Contain($"head_sha={Head}");
        var pr = await webhookFirst.Context.Prs.GetAsync("github", Repo, 2, CancellationToken.None);
        pr!.State.Should().Be("merged");
        pr.MergeCommitSha.Should().NotBeNull();
        var runs = await webhookFirst.Context.CiRunsAsync(Repo);
        runs.Select(r => $"{r.Provider} {r.RunId} {r.Status}").Should().BeEquivalentTo(
            "github-checks check_run:128620228 success",
            "github-actions run:289782451 success",
            $"github-status status:codertocat/hello-world@{Head}:default success");
        (await webhookFirst.Context.PrCommitsAsync(Repo)).Select(c => c.Sha).Should().Equal(Head);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task BackfilledSuccess_ThenReplayedInProgressDelivery_SuccessStays(string provider)
    {
        await using var s = await Scenario.StartAsync(provider);
        ArrangeApi(s.Server, WorkflowRunFromApi());
        await s.BackfillAsync();

        // The run's in_progress delivery arrives late (replayed from the inbox, or redelivered), even stamped later.
        var replay = WorkflowRunDelivery(run =>
        {
            run["status"] = "in_progress";
            run["conclusion"] = null;
            run["updated_at"] = "2020-10-05T16:40:00Z";
        });
        var row = await s.Context.GitHubAsync("workflow_run", Payloads.Bytes(replay));

        row.Reason.Should().Contain("newest kept");
        var run = (await s.Context.CiRunsAsync(Repo)).Single(r => r.RunId == "run:289782451");
        run.Status.Should().Be("success");
        run.CompletedTs.Should().NotBeNull();
        (await s.Context.Db.CountAsync("SELECT count(*) FROM ci_runs WHERE status_rank <> 2")).Should().Be(0, "every write sets the rank");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task BackfillTwiceAfterWebhooks_ChangesNothing(string provider)
    {
        await using var s = await Scenario.StartAsync(provider);
        ArrangeApi(s.Server, WorkflowRunFromApi());
        await s.DeliverAsync(Deliveries());
        await s.BackfillAsync();
        var before = await s.RowsAsync();

        var again = await s.BackfillAsync();

        (await s.RowsAsync()).Should().Be(before);
        again.StoredSomething.Should().BeFalse();
    }

    // GitLab: the merge event and pipeline hook of gitlab-org/hello-world, and the same MR and pipeline in REST shape.
    private static (string, JsonObject)[] GitLabDeliveries()
    {
        var pipeline = Payloads.Node("gitlab/pipeline.success.json");
        pipeline["project"]!["path_with_namespace"] = FakeGitLab.Project;
        pipeline["project"]!["web_url"] = "https://gitlab.com/" + FakeGitLab.Project;
        pipeline["object_attributes"]!["sha"] = FakeGitLab.HeadSha1;
        return [("Merge Request Hook", Payloads.Node("gitlab/merge_request.merge.json")), ("Pipeline Hook", pipeline)];
    }

    private static void ArrangeGitLab(WireMockServer server)
    {
        var mr = FakeGitLab.Mr1();
        // The merge event carries no merged_at: GitLab's own answer for this MR names the event's time.
        mr["merged_at"] = "2017-12-10T17:08:07.000Z";
        var (pipeline, jobs) = FakeGitLab.Pipeline();
        Json(server, FakeGitLab.Base + "/merge_requests", new JsonArray(mr));
        Json(server, FakeGitLab.Base + "/merge_requests/1/commits", new JsonArray(FakeGitLab.Commit(FakeGitLab.HeadSha1, "update readme\n")));
        Json(server, FakeGitLab.Base + "/pipelines", new JsonArray(pipeline), ("sha", FakeGitLab.HeadSha1));
        Json(server, FakeGitLab.Base + "/pipelines", new JsonArray(), ("sha", FakeGitLab.MergeSha1));
        Json(server, FakeGitLab.Base + "/pipelines/31/jobs", jobs);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task GitLabHookThenBackfill_AndBackfillThenHook_StoreTheSameRows(string provider)
    {
        await using var hookFirst = await Scenario.StartAsync(provider);
        ArrangeGitLab(hookFirst.Server);
        await hookFirst.DeliverAsync(GitLabDeliveries());
        await hookFirst.BackfillGitLabAsync();

        await using var backfillFirst = await Scenario.StartAsync(provider);
        ArrangeGitLab(backfillFirst.Server);
        await backfillFirst.BackfillGitLabAsync();
        await backfillFirst.DeliverAsync(GitLabDeliveries());

        var rows = await hookFirst.RowsAsync();
        (await backfillFirst.RowsAsync()).Should().Be(rows);
        rows.Should().Contain("state=merged").And.Contain("author=").And.Contain("run_id=pipeline:31");
        var mr = await hookFirst.Context.Prs.GetAsync("gitlab", FakeGitLab.Project, 1, CancellationToken.None);
        mr!.Author.Should().NotBeNull("the REST answer names the author the merge event lacks, whichever came first");
        (await hookFirst.Context.CiRunsAsync(FakeGitLab.Project)).Single(r => r.RunId == "pipeline:31").Status.Should().Be("success");
    }
}
