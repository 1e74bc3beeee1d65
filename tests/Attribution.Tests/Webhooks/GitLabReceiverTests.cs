using System.Net;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Webhooks;

public sealed class GitLabReceiverTests(WebhookAppFixture fixture) : IClassFixture<WebhookAppFixture>
{
    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task MergeRequestOpen_StoresEveryField(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo("group");

        var delivery = await t.GitLabAsync("Merge Request Hook", Payloads.GitLab("gitlab/merge_request.open.json", repo));

        delivery.Event.Should().Be("Merge Request Hook");
        delivery.Action.Should().Be("open");
        var pr = await t.Prs.GetAsync("gitlab", repo, 1, CancellationToken.None);
        pr!.State.Should().Be("open");
        pr.Title.Should().Be("MS-Viewport");
        pr.Author.Should().Be("user1");
        pr.Url.Should().Be("http://example.com/diaspora/merge_requests/1");
        pr.HeadRef.Should().Be("ms-viewport");
        pr.HeadSha.Should().Be("da1560886d4f094c3e6c9ef40349f7d38b5d27d7");
        pr.BaseRef.Should().Be("master");
        pr.MergeCommitSha.Should().BeNull();
        pr.CreatedAt.Should().Be(DateTimeOffset.Parse("2013-12-03T17:23:34Z", System.Globalization.CultureInfo.InvariantCulture));
        (await t.PrCommitsAsync(repo)).Should().ContainSingle().Which.Should().BeEquivalentTo(
            new PrCommitRow { PrNumber = 1, Sha = "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", Source = "webhook" });
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task MergeRequestLifecycle_OpenMinimalUpdateClose(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo("group");
        var other = Payloads.UniqueRepo("group");

        await t.GitLabAsync("Merge Request Hook", Payloads.GitLab("gitlab/merge_request.open.minimal.json", repo));
        await t.GitLabAsync("Merge Request Hook", Payloads.GitLab("gitlab/merge_request.close.json", repo));
        await t.GitLabAsync("Merge Request Hook", Payloads.GitLab("gitlab/merge_request.update.json", other));

        var closed = await t.Prs.GetAsync("gitlab", repo, 1, CancellationToken.None);
        closed!.State.Should().Be("closed");
        closed.Author.Should().Be("sytses", "the author from the open event is kept");
        closed.ClosedAt.Should().Be(DateTimeOffset.Parse("2017-12-10T17:02:46Z", System.Globalization.CultureInfo.InvariantCulture));
        var updated = await t.Prs.GetAsync("gitlab", other, 2, CancellationToken.None);
        updated!.State.Should().Be("open");
        updated.Title.Should().Be("Update client.go 🎉");
        updated.HeadSha.Should().Be("0ab96a10266b95b4b533dcfd98738015fbe70889");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task MergeRequestMerged_HasMergeShaAndTime(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo("group");

        await t.GitLabAsync("Merge Request Hook", Payloads.GitLab("gitlab/merge_request.merge.json", repo));

        var pr = await t.Prs.GetAsync("gitlab", repo, 1, CancellationToken.None);
        pr!.State.Should().Be("merged");
        pr.MergeCommitSha.Should().Be("78a76ee6b4992a6baf64c59fc4c44c7323d60438");
        pr.MergedAt.Should().Be(DateTimeOffset.Parse("2017-12-10T17:08:07Z", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task MergeRequestOpenAfterMerge_MergedStays(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo("group");

        await t.GitLabAsync("Merge Request Hook", Payloads.GitLab("gitlab/merge_request.merge.json", repo));
        await t.GitLabAsync("Merge Request Hook", Payloads.GitLab("gitlab/merge_request.open.minimal.json", repo));

        (await t.Prs.GetAsync("gitlab", repo, 1, CancellationToken.None))!.State.Should().Be("merged");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PushBranch_StoresCommitsAndFiles(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo("group");

        await t.GitLabAsync("Push Hook", Payloads.GitLab("gitlab/push.branch.json", repo));

        var commits = await t.CommitsAsync(repo);
        commits.Select(c => c.Sha).Should().Equal("b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327", "da1560886d4f094c3e6c9ef40349f7d38b5d27d7");
        commits[0].AuthorName.Should().Be("Jordi Mallach");
        commits[0].AuthorEmail.Should().Be("jordi@softcatala.org");
        commits[0].AuthorTs.Should().Be("2011-12-12T12:27:31.0000000Z");
        commits[1].Message.Should().Be("fixed readme\n");
        commits[1].Subject.Should().Be("fixed readme");
        (await t.FilesAsync(repo)).Where(f => f.Sha == "da1560886d4f094c3e6c9ef40349f7d38b5d27d7").Select(f => (f.Path, f.Status))
            .Should().Equal(("CHANGELOG", "added"), ("app/controller/application.rb", "modified"));
        (await t.RefsAsync(repo, "da1560886d4f094c3e6c9ef40349f7d38b5d27d7")).Should().Equal("master");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PushToOpenMrSourceBranch_AddsCommitsToTheMr(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo("group");
        await t.GitLabAsync("Merge Request Hook", Payloads.GitLab("gitlab/merge_request.open.minimal.json", repo));

        await t.GitLabAsync("Push Hook", Payloads.GitLab("gitlab/push.after-merge.json", repo, node => node["ref"] = "refs/heads/feature"));

        (await t.PrCommitsAsync(repo)).Select(c => (c.Sha, c.Source)).Should().BeEquivalentTo(new[]
        {
            ("c4c79227ed610f1151f05bbc5be33b4f340d39c8", "webhook"),
            ("78a76ee6b4992a6baf64c59fc4c44c7323d60438", "push"),
        });
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PushAfterMerge_StoresMergeCommit(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo("group");

        await t.GitLabAsync("Push Hook", Payloads.GitLab("gitlab/push.after-merge.json", repo));

        (await t.CommitsAsync(repo)).Select(c => c.Sha).Should().BeEquivalentTo("c4c79227ed610f1151f05bbc5be33b4f340d39c8", "78a76ee6b4992a6baf64c59fc4c44c7323d60438");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Pipeline_IsGitLabCiRun(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo("group");
        var id = Random.Shared.NextInt64(1_000_000, 9_000_000_000);

        var delivery = await t.GitLabAsync("Pipeline Hook", Payloads.GitLab("gitlab/pipeline.success.json", repo, node => node["object_attributes"]!["id"] = id));

        delivery.Action.Should().Be("success");
        var run = (await t.CiRunsAsync(repo)).Should().ContainSingle().Subject;
        run.Provider.Should().Be("gitlab-ci");
        run.RunId.Should().Be($"pipeline:{id}");
        run.CommitSha.Should().Be("bcbb5ec396a2c0f828686f14fac9b80b780504f2");
        run.Status.Should().Be("success");
        run.Branch.Should().Be("master");
        run.StartedTs.Should().Be("2016-08-12T15:23:28.0000000Z");
        run.CompletedTs.Should().Be("2016-08-12T15:26:29.0000000Z");
        run.Url.Should().EndWith($"/-/pipelines/{id}");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Jobs_AreGitLabCiRunsWithRepoFromHomepage(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var created = Random.Shared.NextInt64(1_000_000, 9_000_000_000);
        var success = created + 1;

        await t.GitLabAsync("Job Hook", Payloads.GitLab("gitlab/job.created.json", "unused/unused", node => node["build_id"] = created));
        await t.GitLabAsync("Job Hook", Payloads.GitLab("gitlab/job.success.json", "unused/unused", node => node["build_id"] = success));

        var pending = (await t.CiRunsAsync("gitlab-org/gitlab-test")).Should().ContainSingle(r => r.RunId == $"job:{created}").Subject;
        pending.Provider.Should().Be("gitlab-ci");
        pending.Status.Should().Be("pending");
        pending.WorkflowName.Should().Be("test");
        pending.CommitSha.Should().Be("2293ada6b400935a1378653304eaf6221e0fdb8f");
        var done = (await t.CiRunsAsync("jsmithy2/release-tools-fake")).Should().ContainSingle(r => r.RunId == $"job:{success}").Subject;
        done.Status.Should().Be("success");
        done.WorkflowName.Should().Be("auto_deploy:start");
        done.Branch.Should().Be("main");
        done.StartedTs.Should().Be("2023-01-10T13:50:05.0000000Z");
        done.CompletedTs.Should().Be("2023-01-10T13:50:54.0000000Z");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task NoteOnMergeRequest_IsStoredAsNote(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo("group");
        var key = Guid.NewGuid().ToString();

        await t.GitLabAsync("Note Hook", Payloads.GitLab("gitlab/note.merge_request.json", repo), key);

        (await t.FeedbackAsync(repo)).Should().ContainSingle().Which.Should().BeEquivalentTo(new FeedbackRow
        {
            Provider = "gitlab",
            RepoSlug = repo,
            Kind = "note",
            ExternalId = "1244",
            PrNumber = 1,
            CommitSha = null,
            Author = "root",
            Body = "This MR needs work.",
            CreatedAt = "2015-05-17T18:21:36.0000000Z",
            DeliveryId = key,
        });
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task WithoutIdempotencyKey_EventUuidDedupes(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var body = Payloads.GitLab("gitlab/merge_request.open.json", Payloads.UniqueRepo("group"));
        var uuid = Guid.NewGuid().ToString();

        using var first = await t.Client.GitLabAsync("Merge Request Hook", body, eventUuid: uuid);
        using var second = await t.Client.GitLabAsync("Merge Request Hook", body, eventUuid: uuid);

        first.StatusCode.Should().Be(HttpStatusCode.Accepted);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        (await second.Content.ReadAsStringAsync()).Should().Contain(uuid).And.Contain("\"duplicate\":true");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task WithoutAnyId_BodyHashDedupes(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var body = Payloads.GitLab("gitlab/merge_request.open.json", Payloads.UniqueRepo("group"));
        var hash = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body));

        using var first = await t.Client.GitLabAsync("Merge Request Hook", body);
        using var second = await t.Client.GitLabAsync("Merge Request Hook", body);

        first.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await first.Content.ReadAsStringAsync()).Should().Contain(hash);
        second.StatusCode.Should().Be(HttpStatusCode.OK);
        (await t.Db.SingleAsync<string>("SELECT body_sha256 FROM webhook_deliveries WHERE delivery_id = @hash", new { hash }))
            .Should().Be(hash["sha256:".Length..], "a hash taken as the id is recorded as the body's hash too");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task WrongToken_Is403AndWritesNothing(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo("group");

        using var wrong = await t.Client.GitLabAsync("Merge Request Hook", Payloads.GitLab("gitlab/merge_request.open.json", repo), token: "not-the-token");
        using var missing = await t.Client.GitLabAsync("Merge Request Hook", Payloads.GitLab("gitlab/merge_request.open.json", repo), token: null);

        wrong.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        missing.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        wrong.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await t.Db.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE repo_slug = @repo", new { repo })).Should().Be(0);
        (await t.Prs.GetAsync("gitlab", repo, 1, CancellationToken.None)).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task MergeRequestWithoutAttributes_Is400AndWritesNothing(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo("group");
        var key = Guid.NewGuid().ToString();

        using var response = await t.Client.GitLabAsync("Merge Request Hook", Payloads.GitLab("gitlab/merge_request.open.json", repo, node => node.Remove("object_attributes")), key);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadAsStringAsync()).Should().Contain("object_attributes");
        (await t.Db.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE delivery_id = @key", new { key })).Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task MissingEventHeader_Is400(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);

        using var response = await t.Client.GitLabAsync("", Payloads.Raw("gitlab/push.branch.json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("X-Gitlab-Event");
    }
}
