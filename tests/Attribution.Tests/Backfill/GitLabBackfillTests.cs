using System.Text.Json.Nodes;
using Attribution.Backfill;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Attribution.Common;

namespace Attribution.Tests.Backfill;

public sealed class GitLabBackfillTests
{
    private static string Ts(string iso) => DapperSetup.Format(DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture));

    private static Task<BackfillStats> RunAsync(BackfillHarness h, DateTimeOffset? since = null) =>
        h.Service().RunGitLabAsync(FakeGitLab.Project, since, NoProgress.Instance, CancellationToken.None);

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Run_FakeApi_StoresMergeRequestsAsTheWebhooksWould(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        FakeGitLab.Arrange(h);

        var timedBefore = Attribution.Common.AttributionMetrics.IngestDuration.WithLabels("gitlab").Count;

        var stats = await RunAsync(h);

        Attribution.Common.AttributionMetrics.IngestDuration.WithLabels("gitlab").Count.Should().BeGreaterThan(timedBefore);
        h.Signal.Version.Should().Be(1);
        // Webhook-equivalent (CONTRACT §4, Merge Request Hook): provider gitlab, pr_number = iid, slug = path_with_namespace.
        var prs = await h.RowsAsync("pr_outcomes", "pr_number");
        prs.Select(r => $"{r["pr_number"]} {r["state"]}").Should().Equal("1 merged", "2 open", "3 closed");
        var mr = prs[0];
        mr["provider"].Should().Be("gitlab");
        mr["repo_slug"].Should().Be("gitlab-org/hello-world");
        mr["title"].Should().Be("update readme");
        mr["author"].Should().Be("sytses");
        mr["url"].Should().Be("https://gitlab.com/gitlab-org/hello-world/merge_requests/1");
        mr["head_ref"].Should().Be("feature");
        mr["head_sha"].Should().Be(FakeGitLab.HeadSha1);
        mr["base_ref"].Should().Be("master");
        mr["merge_commit_sha"].Should().Be(FakeGitLab.MergeSha1);
        mr["body"].Should().Be("adding build instructions to readme");
        mr["created_at"].Should().Be(Ts("2017-12-10T17:01:11Z"));
        mr["merged_at"].Should().Be(Ts("2017-12-10T17:08:06Z"));
        mr["source_updated_at"].Should().Be(Ts("2017-12-10T17:08:07Z"));
        JsonNode.Parse((string)mr["raw_json"]!)!["iid"]!.GetValue<int>().Should().Be(1);
        prs[2]["closed_at"].Should().Be(Ts("2017-12-08T10:00:00Z"));
        prs[1]["merge_commit_sha"].Should().BeNull();
        stats.PullRequestsNew.Should().Be(3);
        h.Requests(FakeGitLab.Base + "/merge_requests", "2").Should().Be(1, "X-Next-Page: 2 is followed");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Run_FakeApi_StoresPipelinesJobsCommitsAndMembership(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        FakeGitLab.Arrange(h);

        await RunAsync(h);

        var runs = (await h.RowsAsync("ci_runs", "run_id")).ToDictionary(r => (string)r["run_id"]!);
        runs.Keys.Should().BeEquivalentTo("pipeline:31", "job:380", "job:377", "job:378", "job:376", "job:379");
        runs.Values.Should().OnlyContain(r => (string)r["provider"]! == "gitlab-ci" && (string)r["commit_sha"]! == FakeGitLab.HeadSha1);
        var pipeline = runs["pipeline:31"];
        pipeline["status"].Should().Be("success");
        pipeline["branch"].Should().Be("master");
        pipeline["started_ts"].Should().Be(Ts("2016-08-12T15:23:28Z"));
        pipeline["completed_ts"].Should().Be(Ts("2016-08-12T15:26:29Z"));
        runs["job:380"]["status"].Should().Be("skipped");
        runs["job:380"]["workflow_name"].Should().Be("production");
        runs["job:377"]["status"].Should().Be("success");
        runs["job:377"]["started_ts"].Should().Be(Ts("2016-08-12T15:26:12Z"));

        var links = await h.RowsAsync("pr_commits", "pr_number");
        links.Select(r => $"{r["provider"]} {r["repo_slug"]} {r["pr_number"]} {r["sha"]} {r["source"]}").Should().Equal(
            $"gitlab gitlab-org/hello-world 1 {FakeGitLab.HeadSha1} api",
            $"gitlab gitlab-org/hello-world 2 {FakeGitLab.HeadSha2} api",
            $"gitlab gitlab-org/hello-world 3 {FakeGitLab.HeadSha3} api");
        var commit = (await h.RowsAsync("commits", "sha")).Single(r => (string)r["sha"]! == FakeGitLab.HeadSha1);
        commit["message"].Should().Be("update readme\n");
        commit["author_name"].Should().Be("Sid Sijbrandij");
        commit["committer_ts"].Should().Be(Ts("2017-12-10T16:28:40Z"));
        commit["parents"].Should().Be("[\"ba3e0d8ff79c80d5b0bbb4f3e2e343e0aaa662b7\"]");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Run_Twice_ChangesNothing(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        FakeGitLab.Arrange(h);
        await RunAsync(h);
        var prs = await h.RowsAsync("pr_outcomes", "pr_number");
        var runs = await h.RowsAsync("ci_runs", "run_id");
        var links = await h.RowsAsync("pr_commits", "pr_number, sha");

        var second = await RunAsync(h);

        (await h.RowsAsync("pr_outcomes", "pr_number")).Should().BeEquivalentTo(prs, o => o.WithStrictOrdering());
        (await h.RowsAsync("ci_runs", "run_id")).Should().BeEquivalentTo(runs, o => o.WithStrictOrdering());
        (await h.RowsAsync("pr_commits", "pr_number, sha")).Should().BeEquivalentTo(links, o => o.WithStrictOrdering());
        second.StoredSomething.Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Run_TooManyRequestsWithRetryAfterThenBadGateway_WaitsRetriesAndCompletes(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        FakeGitLab.Arrange(h, page2: false);
        h.Json(FakeGitLab.Base + "/merge_requests", new { message = "429 Too Many Requests" }, status: 429, query: new() { ["page"] = "2" },
            headers: new() { ["Retry-After"] = "45", ["RateLimit-Remaining"] = "0" }, scenario: "p2", setState: "bad");
        h.Json(FakeGitLab.Base + "/merge_requests", "<html>502</html>", status: 502, query: new() { ["page"] = "2" }, scenario: "p2", whenState: "bad", setState: "ok");
        h.Json(FakeGitLab.Base + "/merge_requests", new JsonArray(FakeGitLab.Mr(3, "closed", FakeGitLab.HeadSha3, "2017-12-08T10:00:00.000Z", "dead-end")),
            query: new() { ["page"] = "2" }, scenario: "p2", whenState: "ok");

        var stats = await RunAsync(h);

        h.Clock.Waits.Should().HaveCount(2);
        h.Clock.Waits[0].Should().Be(TimeSpan.FromSeconds(45));
        h.Clock.Waits[1].Should().BeCloseTo(TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(0.5), "second error: base 2s with jitter");
        stats.Waits.Should().Be(1);
        (await h.RowsAsync("pr_outcomes", "pr_number")).Select(r => r["pr_number"]).Should().Equal(1L, 2L, 3L);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Run_InterruptedOnPageTwo_ResumesFromCursor(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        FakeGitLab.Arrange(h, page2: false);
        h.Json(FakeGitLab.Base + "/merge_requests", new { message = "500 Internal Server Error" }, status: 500, query: new() { ["page"] = "2" });
        var failed = async () => await RunAsync(h);
        await failed.Should().ThrowAsync<BackfillException>();
        (await h.Cursors.GetAsync(BackfillCursor.Source, "gitlab:gitlab-org/hello-world", CancellationToken.None)).Should().NotBeNull();

        h.Server.Reset();
        FakeGitLab.Arrange(h);
        var resumed = await RunAsync(h);

        resumed.PullRequestsSkipped.Should().Be(2);
        resumed.PullRequestsNew.Should().Be(1);
        h.Requests(FakeGitLab.Base + "/merge_requests/1/commits").Should().Be(0, "MR 1 was finished before the interruption");
        (await h.RowsAsync("pr_outcomes", "pr_number")).Select(r => r["pr_number"]).Should().Equal(1L, 2L, 3L);
        (await h.Cursors.GetAsync(BackfillCursor.Source, "gitlab:gitlab-org/hello-world", CancellationToken.None)).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Run_Since_IsSentAsUpdatedAfter(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        FakeGitLab.Arrange(h);

        await RunAsync(h, new DateTimeOffset(2017, 12, 9, 0, 0, 0, TimeSpan.Zero));

        h.Server.LogEntries.First(e => e.RequestMessage.Path.EndsWith("/merge_requests", StringComparison.Ordinal))
            .RequestMessage.Query!["updated_after"].Should().Equal("2017-12-09T00:00:00Z");
        (await h.RowsAsync("pr_outcomes", "pr_number")).Select(r => r["pr_number"]).Should().Equal(1L, 2L);
    }
}
