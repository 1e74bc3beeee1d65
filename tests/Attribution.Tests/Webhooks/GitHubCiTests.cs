using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Webhooks;

public sealed class GitHubCiTests(WebhookAppFixture fixture) : IClassFixture<WebhookAppFixture>
{
    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CheckRunCompleted_IsGitHubChecksSuccess(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();
        var runId = NewId();

        var delivery = await t.GitHubAsync("check_run", Payloads.GitHub("github/check_run.completed.json", repo, node => node["check_run"]!["id"] = runId));

        delivery.Action.Should().Be("completed");
        var run = (await t.CiRunsAsync(repo)).Should().ContainSingle().Subject;
        run.Provider.Should().Be("github-checks");
        run.RunId.Should().Be($"check_run:{runId}");
        run.CommitSha.Should().Be("ec26c3e57ca3a959ca5aad62de7213c562f8c821");
        run.Status.Should().Be("success");
        run.WorkflowName.Should().Be("Octocoders-linter");
        run.Branch.Should().Be("changes");
        run.Url.Should().Be("https://github.com/Codertocat/Hello-World/runs/128620228");
        run.StartedTs.Should().Be("2019-05-15T15:21:12.0000000Z");
        run.CompletedTs.Should().Be("2019-05-15T15:21:12.0000000Z");
        run.RawJson.Should().Contain("\"head_sha\"");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CheckSuiteCompleted_IsGitHubChecksSuccess(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();
        var runId = NewId();

        await t.GitHubAsync("check_suite", Payloads.GitHub("github/check_suite.completed.json", repo, node => node["check_suite"]!["id"] = runId));

        var run = (await t.CiRunsAsync(repo)).Should().ContainSingle().Subject;
        run.Provider.Should().Be("github-checks");
        run.RunId.Should().Be($"check_suite:{runId}");
        run.Status.Should().Be("success");
        run.CommitSha.Should().Be("ec26c3e57ca3a959ca5aad62de7213c562f8c821");
        run.Branch.Should().Be("changes");
        run.WorkflowName.Should().Be("octocoders-linter");
        run.CompletedTs.Should().Be("2019-05-15T15:21:14.0000000Z");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task WorkflowRunCompleted_IsGitHubActionsSuccess(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();
        var runId = NewId();

        await t.GitHubAsync("workflow_run", Payloads.GitHub("github/workflow_run.completed.json", repo, RunId(runId)));

        var run = (await t.CiRunsAsync(repo)).Should().ContainSingle().Subject;
        run.Provider.Should().Be("github-actions");
        run.RunId.Should().Be($"run:{runId}");
        run.CommitSha.Should().Be("3484a3fb816e0859fd6e1cea078d76385ff50625");
        run.Status.Should().Be("success");
        run.WorkflowName.Should().Be("test");
        run.Branch.Should().Be("master");
        run.Url.Should().Be("https://github.com/octo-org/octo-repo/actions/runs/289782451");
        run.StartedTs.Should().Be("2020-10-05T16:33:49.0000000Z");
        run.CompletedTs.Should().Be("2020-10-05T16:33:49.0000000Z");
        run.RunAttempt.Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task WorkflowRunWithPullRequests_IsStoredOnce(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();
        var runId = NewId();

        await t.GitHubAsync("workflow_run", Payloads.GitHub("github/workflow_run.completed.with-pull-requests.json", repo, RunId(runId)));

        var run = (await t.CiRunsAsync(repo)).Should().ContainSingle().Subject;
        run.RunId.Should().Be($"run:{runId}");
        run.Status.Should().Be("success");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task WorkflowRunRequested_IsPending(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();
        var runId = NewId();

        await t.GitHubAsync("workflow_run", Payloads.GitHub("github/workflow_run.requested.json", repo, RunId(runId)));

        var run = (await t.CiRunsAsync(repo)).Should().ContainSingle().Subject;
        run.Status.Should().Be("pending");
        run.CompletedTs.Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task WorkflowRunRequestedAfterCompleted_CompletedStays(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();
        var runId = NewId();

        await t.GitHubAsync("workflow_run", Payloads.GitHub("github/workflow_run.completed.json", repo, RunId(runId)));
        var late = await t.GitHubAsync("workflow_run", Payloads.GitHub("github/workflow_run.requested.json", repo, RunId(runId)));

        late.Reason.Should().Be("older than the stored run; newest kept");
        (await t.CiRunsAsync(repo)).Should().ContainSingle().Which.Status.Should().Be("success");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task WorkflowRunReRun_NewAttemptReplacesOldResult(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();
        var runId = NewId();
        await t.GitHubAsync("workflow_run", Payloads.GitHub("github/workflow_run.completed.json", repo, RunId(runId)));

        await t.GitHubAsync("workflow_run", Payloads.GitHub("github/workflow_run.requested.json", repo, node =>
        {
            RunId(runId)(node);
            node["workflow_run"]!["run_attempt"] = 2;
            node["workflow_run"]!["updated_at"] = "2020-10-06T09:00:00Z";
        }));

        var run = (await t.CiRunsAsync(repo)).Should().ContainSingle().Subject;
        run.Status.Should().Be("pending");
        run.RunAttempt.Should().Be(2);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task WorkflowJobs_AreGitHubActionsJobsWithNormalisedStatus(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var success = Payloads.UniqueRepo();
        var runId = NewId();
        var failure = Payloads.UniqueRepo();
        var running = Payloads.UniqueRepo();

        await t.GitHubAsync("workflow_job", Payloads.GitHub("github/workflow_job.completed.json", success, JobId(runId)));
        await t.GitHubAsync("workflow_job", Payloads.GitHub("github/workflow_job.completed.failure.json", failure, JobId(runId + 1)));
        await t.GitHubAsync("workflow_job", Payloads.GitHub("github/workflow_job.in_progress.json", running, JobId(runId + 2)));

        var job = (await t.CiRunsAsync(success)).Should().ContainSingle().Subject;
        job.Provider.Should().Be("github-actions");
        job.RunId.Should().Be($"job:{runId}", "job ids are prefixed so they never collide with run ids");
        job.Status.Should().Be("success");
        job.WorkflowName.Should().Be("CodeQL / linters");
        job.Branch.Should().Be("main");
        job.CommitSha.Should().Be("3484a3fb816e0859fd6e1cea078d76385ff50625");
        job.StartedTs.Should().Be("2021-08-05T10:34:58.0000000Z");
        job.CompletedTs.Should().Be("2021-08-05T10:38:16.0000000Z");
        (await t.CiRunsAsync(failure)).Should().ContainSingle().Which.Status.Should().Be("failure");
        var inProgress = (await t.CiRunsAsync(running)).Should().ContainSingle().Subject;
        inProgress.Status.Should().Be("in_progress");
        inProgress.CompletedTs.Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task WorkflowJobInProgressAfterCompleted_CompletedStays(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();
        var runId = NewId();

        await t.GitHubAsync("workflow_job", Payloads.GitHub("github/workflow_job.completed.json", repo, JobId(runId)));
        await t.GitHubAsync("workflow_job", Payloads.GitHub("github/workflow_job.in_progress.json", repo, JobId(runId)));

        (await t.CiRunsAsync(repo)).Should().ContainSingle().Which.Status.Should().Be("success");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Status_IsGitHubStatusPerCommitAndContext(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();

        var delivery = await t.GitHubAsync("status", Payloads.GitHub("github/status.success.json", repo));

        delivery.Action.Should().BeNull();
        var run = (await t.CiRunsAsync(repo)).Should().ContainSingle().Subject;
        run.Provider.Should().Be("github-status");
        run.RunId.Should().Be($"status:{repo}@6113728f27ae82c7b1a177c8d03f9e96e0adf246:default");
        run.Status.Should().Be("success");
        run.WorkflowName.Should().Be("default");
        run.CommitSha.Should().Be("6113728f27ae82c7b1a177c8d03f9e96e0adf246");
        run.CompletedTs.Should().Be("2019-05-15T15:20:55.0000000Z");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task StatusPendingThenSuccess_UpdatesOneRow(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();

        await t.GitHubAsync("status", Payloads.GitHub("github/status.success.json", repo, node =>
        {
            node["state"] = "pending";
            node["id"] = 1;
            node["updated_at"] = "2019-05-15T15:20:00+00:00";
        }));
        await t.GitHubAsync("status", Payloads.GitHub("github/status.success.json", repo));

        (await t.CiRunsAsync(repo)).Should().ContainSingle().Which.Status.Should().Be("success");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task JobAndRunWithSameNumber_DoNotCollide(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();
        var id = NewId();

        await t.GitHubAsync("workflow_run", Payloads.GitHub("github/workflow_run.completed.json", repo, RunId(id)));
        await t.GitHubAsync("workflow_job", Payloads.GitHub("github/workflow_job.completed.failure.json", repo, JobId(id)));

        (await t.CiRunsAsync(repo)).Select(r => (r.RunId, r.Status)).Should().BeEquivalentTo(new[] { ($"job:{id}", "failure"), ($"run:{id}", "success") });
    }

    // Run ids are unique per provider across repositories; each test uses its own so tests sharing a database never meet.
    private static long NewId() => Random.Shared.NextInt64(1_000_000_000, 9_000_000_000);

    private static Action<System.Text.Json.Nodes.JsonObject> RunId(long id) => node => node["workflow_run"]!["id"] = id;

    private static Action<System.Text.Json.Nodes.JsonObject> JobId(long id) => node => node["workflow_job"]!["id"] = id;
}
