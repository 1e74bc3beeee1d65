using System.Text.Json.Nodes;
using Attribution.Backfill;
using Attribution.Store;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Backfill;

public sealed class GitHubBackfillTests
{
    private static string Ts(string iso) => DapperSetup.Format(DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture));

    private static Task<BackfillStats> RunAsync(BackfillHarness h, DateTimeOffset? since = null) =>
        h.Service().RunGitHubAsync(FakeGitHub.Repo, since, null, NoProgress.Instance, CancellationToken.None);

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Run_FakeApi_StoresPullRequestsAsTheWebhooksWould(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        FakeGitHub.Arrange(h);

        var stats = await RunAsync(h);

        // Webhook-equivalent expectations (CONTRACT §4): provider github, slug lowercased, state merged only from
        // merged_at/merged, merge_commit_sha only when merged, head/base refs, title, author login, html_url.
        var prs = await h.RowsAsync("pr_outcomes", "pr_number");
        prs.Select(r => r["pr_number"]).Should().Equal(1L, 2L, 3L);
        var pr2 = prs[1];
        pr2["provider"].Should().Be("github");
        pr2["repo_slug"].Should().Be("codertocat/hello-world");
        pr2["state"].Should().Be("closed");
        pr2["merged_at"].Should().BeNull();
        pr2["merge_commit_sha"].Should().BeNull("the fixture's merge_commit_sha is GitHub's test merge, not a merge");
        pr2["title"].Should().Be("Update the README with new information.");
        pr2["author"].Should().Be("Codertocat");
        pr2["url"].Should().Be("https://github.com/Codertocat/Hello-World/pull/2");
        pr2["head_ref"].Should().Be("changes");
        pr2["head_sha"].Should().Be(FakeGitHub.HeadSha2);
        pr2["base_ref"].Should().Be("master");
        pr2["body"].Should().Be("This is a pretty simple change that we need to pull into master.");
        pr2["created_at"].Should().Be(Ts("2019-05-15T15:20:33Z"));
        pr2["closed_at"].Should().Be(Ts("2019-05-15T15:21:18Z"));
        pr2["source_updated_at"].Should().Be(Ts("2019-05-15T15:21:18Z"));
        JsonNode.DeepEquals(JsonNode.Parse((string)pr2["raw_json"]!), FakeGitHub.Pr2()).Should().BeTrue("raw_json is the API object as served");
        pr2["reverted_at"].Should().Be(Ts("2019-05-16T10:00:00Z"), "PR 3 says Reverts Codertocat/Hello-World#2");
        pr2["reverted_by_pr"].Should().Be(3L);

        var pr3 = prs[2];
        pr3["state"].Should().Be("merged");
        pr3["merged_at"].Should().Be(Ts("2019-05-16T10:00:00Z"));
        pr3["merge_commit_sha"].Should().Be(FakeGitHub.MergeSha3);
        prs[0]["state"].Should().Be("open");
        prs[0]["merge_commit_sha"].Should().BeNull();

        stats.PullRequestsNew.Should().Be(3);
        stats.Reverts.Should().Be(1);
        h.Signal.Version.Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Run_FakeApi_StoresCommitsAndMembershipIncludingSecondPages(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        FakeGitHub.Arrange(h);

        await RunAsync(h);

        var links = await h.RowsAsync("pr_commits", "pr_number, sha");
        links.Select(r => $"{r["provider"]} {r["repo_slug"]} {r["pr_number"]} {r["sha"]} {r["source"]}").Should().Equal(
            $"github codertocat/hello-world 1 {FakeGitHub.HeadSha1} api",
            $"github codertocat/hello-world 2 {FakeGitHub.HeadSha2} api",
            $"github codertocat/hello-world 3 {FakeGitHub.HeadSha3} api",
            "github codertocat/hello-world 3 c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c1 api");
        var commit = (await h.RowsAsync("commits", "sha")).Single(r => (string)r["sha"]! == FakeGitHub.HeadSha2);
        commit["source"].Should().Be("api");
        commit["message"].Should().Be("Update README");
        commit["subject"].Should().Be("Update README");
        commit["author_name"].Should().Be("Codertocat");
        commit["author_email"].Should().Be("21031067+Codertocat@users.noreply.github.com");
        commit["author_ts"].Should().Be(Ts("2019-05-15T15:19:00Z"));
        commit["committer_ts"].Should().Be(Ts("2019-05-15T15:19:30Z"));
        commit["parents"].Should().Be("[\"199eddf46df50de8d02e99bf1c5fdb4101338224\"]");
        commit["files_known"].Should().Be(0L);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Run_FakeApi_StoresCheckRunsWorkflowRunsAndStatusesOfHeadAndMergeCommits(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        FakeGitHub.Arrange(h);

        await RunAsync(h);

        var runs = (await h.RowsAsync("ci_runs", "run_id")).ToDictionary(r => (string)r["run_id"]!);
        var statusId = Attribution.Providers.CiRunIds.CommitStatus("codertocat/hello-world", FakeGitHub.HeadSha2, "default");
        runs.Keys.Should().BeEquivalentTo("check_run:128620228", "run:289782451", "run:999", statusId);
        var check = runs["check_run:128620228"];
        check["provider"].Should().Be("github-checks");
        check["commit_sha"].Should().Be(FakeGitHub.HeadSha2);
        check["status"].Should().Be("success");
        check["workflow_name"].Should().Be("Octocoders-linter");
        check["branch"].Should().Be("changes");
        check["url"].Should().Be("https://github.com/Codertocat/Hello-World/runs/128620228");
        check["started_ts"].Should().Be(Ts("2019-05-15T15:21:12Z"));
        check["completed_ts"].Should().Be(Ts("2019-05-15T15:21:12Z"));
        var run = runs["run:289782451"];
        run["provider"].Should().Be("github-actions");
        run["status"].Should().Be("success");
        run["branch"].Should().Be("master");
        run["started_ts"].Should().Be(Ts("2020-10-05T16:33:49Z"));
        run["source_updated_at"].Should().Be(Ts("2020-10-05T16:33:49Z"));
        runs["run:999"]["status"].Should().Be("in_progress");
        runs["run:999"]["commit_sha"].Should().Be(FakeGitHub.MergeSha3);
        runs["run:999"]["completed_ts"].Should().BeNull();
        var status = runs[statusId];
        status["provider"].Should().Be("github-status");
        status["commit_sha"].Should().Be(FakeGitHub.HeadSha2);
        status["status"].Should().Be("success");
        status["workflow_name"].Should().Be("default");
        status["repo_slug"].Should().Be("codertocat/hello-world");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Run_Twice_ChangesNothing(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        FakeGitHub.Arrange(h);
        await RunAsync(h);
        var before = (await h.RowsAsync("pr_outcomes", "pr_number"), await h.RowsAsync("ci_runs", "run_id"), await h.RowsAsync("pr_commits", "pr_number, sha"),
            await h.RowsAsync("commits", "sha", "updated_ts"));

        var second = await RunAsync(h);

        var after = (await h.RowsAsync("pr_outcomes", "pr_number"), await h.RowsAsync("ci_runs", "run_id"), await h.RowsAsync("pr_commits", "pr_number, sha"),
            await h.RowsAsync("commits", "sha", "updated_ts"));
        after.Item1.Should().BeEquivalentTo(before.Item1, o => o.WithStrictOrdering());
        after.Item2.Should().BeEquivalentTo(before.Item2, o => o.WithStrictOrdering());
        after.Item3.Should().BeEquivalentTo(before.Item3, o => o.WithStrictOrdering());
        after.Item4.Should().BeEquivalentTo(before.Item4, o => o.WithStrictOrdering());
        second.PullRequestsUnchanged.Should().Be(3);
        second.CiRunsUnchanged.Should().Be(4);
        second.StoredSomething.Should().BeFalse();
        h.Signal.Version.Should().Be(1, "only the first run stored something");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Run_NewerWebhookRow_IsNotOverwrittenByOlderApiData(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        FakeGitHub.Arrange(h);
        await RunAsync(h);
        // A webhook delivered a newer truth for PR 1 after the API page was read.
        await h.ScalarAsync<long>("UPDATE pr_outcomes SET state = 'closed', source_updated_at = @At, raw_json = '{}' WHERE pr_number = 1",
            new { At = DapperSetup.Format(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)) });

        var second = await RunAsync(h);

        (await h.ScalarAsync<string>("SELECT state FROM pr_outcomes WHERE pr_number = 1")).Should().Be("closed");
        second.PullRequestsUnchanged.Should().Be(3);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Run_RowAWebhookStoredAtTheSameUpdate_IsRefreshedKeepingColumnsOtherFeaturesOwn(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        FakeGitHub.Arrange(h);
        // As the receiver would have stored PR 1 from its pull_request delivery (same updated_at, the webhook's own JSON),
        // later enriched by linking.
        await h.ScalarAsync<long>("""
            INSERT INTO pr_outcomes (provider, repo_slug, pr_number, title, state, source_updated_at, raw_json, linked_session_ids,
                                     downstream_touch_count, updated_ts)
            VALUES ('github', 'codertocat/hello-world', 1, 'old title', 'open', @At, '{"webhook":true}', '["s-1"]', 4, @At)
            """, new { At = Ts("2019-05-15T15:20:00Z") });

        var stats = await RunAsync(h);

        var pr1 = (await h.RowsAsync("pr_outcomes", "pr_number")).Single(r => (long)r["pr_number"]! == 1);
        pr1["title"].Should().Be("Update the README with new information.");
        pr1["head_sha"].Should().Be(FakeGitHub.HeadSha1);
        pr1["linked_session_ids"].Should().Be("[\"s-1\"]");
        pr1["downstream_touch_count"].Should().Be(4L);
        (await h.ScalarAsync<long>("SELECT count(*) FROM pr_outcomes WHERE pr_number = 1")).Should().Be(1);
        stats.PullRequestsUpdated.Should().Be(1);
        stats.PullRequestsNew.Should().Be(2);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Run_Since_StopsAtTheFirstOlderPullRequest(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        FakeGitHub.Arrange(h);

        await RunAsync(h, new DateTimeOffset(2019, 5, 15, 15, 21, 0, TimeSpan.Zero));

        (await h.RowsAsync("pr_outcomes", "pr_number")).Select(r => r["pr_number"]).Should().Equal(2L, 3L);
        h.Requests(FakeGitHub.Base + "/pulls/1/commits").Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Run_PrimaryRateLimitMidRun_WaitsUntilResetThenCompletes(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        FakeGitHub.Arrange(h, page2: false);
        var reset = BackfillHarness.Start.AddSeconds(120).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        h.Json(FakeGitHub.Base + "/pulls", new { message = "API rate limit exceeded for user ID 1." }, status: 403, query: new() { ["page"] = "2" },
            headers: new() { ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Reset"] = reset }, scenario: "rl", setState: "reset");
        h.Json(FakeGitHub.Base + "/pulls", new JsonArray(FakeGitHub.Pr1()), query: new() { ["page"] = "2" }, scenario: "rl", whenState: "reset", priority: 1);

        var stats = await RunAsync(h);

        h.Clock.Waits.Should().Equal(TimeSpan.FromSeconds(121));
        stats.Waits.Should().Be(1);
        (await h.RowsAsync("pr_outcomes", "pr_number")).Select(r => r["pr_number"]).Should().Equal(1L, 2L, 3L);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Run_PrimaryResetBeyondTheLongestWait_StopsWithAClearMessageKeepingTheCursor(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        FakeGitHub.Arrange(h, page2: false);
        var reset = BackfillHarness.Start.AddHours(3);
        h.Json(FakeGitHub.Base + "/pulls", new { message = "API rate limit exceeded for user ID 1." }, status: 403, query: new() { ["page"] = "2" },
            headers: new() { ["X-RateLimit-Limit"] = "5000", ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Reset"] = reset.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var run = async () => await RunAsync(h);

        var failure = (await run.Should().ThrowAsync<BackfillException>()).Which;
        failure.Failure.Should().Be(BackfillFailure.Unavailable);
        failure.Message.Should().Be("GitHub rate limit exhausted until 2026-11-25 03:00:00Z (longer than the run waits); run again later");
        h.Clock.Waits.Should().BeEmpty();
        (await h.Cursors.GetAsync(BackfillCursor.Source, "github:codertocat/hello-world", CancellationToken.None)).Should().NotBeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Run_SecondaryLimitWithRetryAfter_WaitsAsToldThenCompletes(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        FakeGitHub.Arrange(h);
        h.Json(FakeGitHub.Base + "/pulls/2/commits", new { message = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." },
            status: 403, headers: new() { ["Retry-After"] = "30" }, scenario: "sec", setState: "ok", priority: 1);
        h.Json(FakeGitHub.Base + "/pulls/2/commits", new JsonArray(FakeGitHub.Commit(FakeGitHub.HeadSha2, "Update README", "199eddf46df50de8d02e99bf1c5fdb4101338224")),
            scenario: "sec", whenState: "ok", priority: 1);

        var stats = await RunAsync(h);

        h.Clock.Waits.Should().Equal(TimeSpan.FromSeconds(30));
        stats.Waits.Should().Be(1);
        (await h.ScalarAsync<long>("SELECT count(*) FROM pr_commits WHERE pr_number = 2")).Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Run_BadGatewayThenSuccess_RetriesWithBackoff(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        FakeGitHub.Arrange(h);
        h.Json(FakeGitHub.Base + "/pulls/1/commits", "<html>502 Bad Gateway</html>", status: 502, scenario: "bg", setState: "ok", priority: 1);
        h.Json(FakeGitHub.Base + "/pulls/1/commits", new JsonArray(FakeGitHub.Commit(FakeGitHub.HeadSha1, "Feature one", FakeGitHub.HeadSha2)), scenario: "bg", whenState: "ok", priority: 1);

        var stats = await RunAsync(h);

        h.Clock.Waits.Should().ContainSingle().Which.Should().BeCloseTo(TimeSpan.FromSeconds(0.75), TimeSpan.FromSeconds(0.25));
        stats.Retries.Should().Be(1);
        stats.Waits.Should().Be(0, "server errors are retries, not rate-limit waits");
        (await h.ScalarAsync<long>("SELECT count(*) FROM pr_commits WHERE pr_number = 1")).Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Run_TimeoutThenSuccess_RetriesAndCompletes(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        FakeGitHub.Arrange(h);
        h.Json($"{FakeGitHub.Base}/commits/{FakeGitHub.HeadSha2}/statuses", new JsonArray(FakeGitHub.Status()), delay: TimeSpan.FromSeconds(5), scenario: "slow", setState: "fast", priority: 1);
        h.Json($"{FakeGitHub.Base}/commits/{FakeGitHub.HeadSha2}/statuses", new JsonArray(FakeGitHub.Status()), scenario: "slow", whenState: "fast", priority: 1);

        var stats = await h.Service(settings: new BackfillHttpSettings { AttemptTimeout = TimeSpan.FromSeconds(1.5), MaxRetries = 5 })
            .RunGitHubAsync(FakeGitHub.Repo, null, null, NoProgress.Instance, CancellationToken.None);

        // The fake keeps answering slowly until its first slow answer completes, so one or more attempts time out.
        stats.Retries.Should().BeInRange(1, 5);
        (await h.ScalarAsync<string>("SELECT status FROM ci_runs WHERE provider = 'github-status' AND workflow_name = 'default'")).Should().Be("success");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Run_InterruptedOnPageTwo_ResumesFromCursorWithoutRereadingPageOne(string provider)
    {
        await using var h = await BackfillHarness.CreateAsync(provider);
        FakeGitHub.Arrange(h, page2: false);
        h.Json(FakeGitHub.Base + "/pulls", new { message = "Server Error" }, status: 500, query: new() { ["page"] = "2" });

        var failed = async () => await RunAsync(h);

        (await failed.Should().ThrowAsync<BackfillException>()).Which.Failure.Should().Be(BackfillFailure.Unavailable);
        var cursor = BackfillCursor.TryParse(await h.Cursors.GetAsync(BackfillCursor.Source, "github:codertocat/hello-world", CancellationToken.None));
        cursor.Should().Be(new BackfillCursor(1, new DateTimeOffset(2019, 5, 15, 15, 21, 18, TimeSpan.Zero), 2));

        h.Server.Reset();
        FakeGitHub.Arrange(h);
        var resumed = await RunAsync(h);

        h.Requests(FakeGitHub.Base + "/pulls", "1").Should().Be(1, "page 1 is read again only to find its place; PRs on it are skipped");
        resumed.PullRequestsSkipped.Should().Be(2);
        resumed.PullRequestsNew.Should().Be(1);
        (await h.RowsAsync("pr_outcomes", "pr_number")).Select(r => r["pr_number"]).Should().Equal(1L, 2L, 3L);
        (await h.Cursors.GetAsync(BackfillCursor.Source, "github:codertocat/hello-world", CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task Run_NextLinkNamesTheSamePage_StopsWithAnError()
    {
        await using var h = await BackfillHarness.CreateAsync(TestProviders.Sqlite);
        FakeGitHub.Arrange(h, page2: false);
        var pulls = FakeGitHub.Base + "/pulls";
        h.Json(pulls, new JsonArray(FakeGitHub.Pr1()), query: new() { ["page"] = "2" }, headers: new() { ["Link"] = FakeGitHub.Link(h, pulls, 2, "next") });

        var run = () => RunAsync(h).WaitAsync(TimeSpan.FromMinutes(1));

        (await run.Should().ThrowAsync<BackfillException>()).Which.Message.Should().Contain("pagination");
        h.Requests(pulls, "2").Should().Be(1, "page 2 is read once, then its link back to itself stops the run");
    }
}
