using System.Text.Json.Nodes;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Webhooks;

public sealed class GitHubPullRequestTests(WebhookAppFixture fixture) : IClassFixture<WebhookAppFixture>
{
    private const string HeadSha = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PullRequestOpened_StoresEveryField(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();

        var delivery = await t.GitHubAsync("pull_request", Payloads.GitHub("github/pull_request.opened.json", repo));

        delivery.Status.Should().Be("processed");
        delivery.Attempts.Should().Be(1);
        delivery.Event.Should().Be("pull_request");
        delivery.Action.Should().Be("opened");
        delivery.RepoSlug.Should().Be(repo);
        var pr = await t.Prs.GetAsync("github", repo, 2, CancellationToken.None);
        pr.Should().NotBeNull();
        pr!.State.Should().Be("open");
        pr.Title.Should().Be("Update the README with new information.");
        pr.Author.Should().Be("Codertocat");
        pr.Url.Should().Be("https://github.com/Codertocat/Hello-World/pull/2");
        pr.Body.Should().Be("This is a pretty simple change that we need to pull into master.");
        pr.HeadRef.Should().Be("changes");
        pr.HeadSha.Should().Be(HeadSha);
        pr.BaseRef.Should().Be("master");
        pr.MergeCommitSha.Should().BeNull();
        pr.MergedAt.Should().BeNull();
        pr.ClosedAt.Should().BeNull();
        pr.CreatedAt.Should().Be(DateTimeOffset.Parse("2019-05-15T15:20:33Z", System.Globalization.CultureInfo.InvariantCulture));
        pr.SourceUpdatedAt.Should().Be(DateTimeOffset.Parse("2019-05-15T15:20:33Z", System.Globalization.CultureInfo.InvariantCulture));
        (await t.PrCommitsAsync(repo)).Should().ContainSingle().Which.Should().BeEquivalentTo(new PrCommitRow { PrNumber = 2, Sha = HeadSha, Source = "webhook" });
        var raw = await t.Db.SingleAsync<string>("SELECT raw_json FROM pr_outcomes WHERE repo_slug = @repo", new { repo });
        raw.Should().Contain("\"node_id\"");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PullRequestClosedNotMerged_IsClosedWithoutMergeSha(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();

        var delivery = await t.GitHubAsync("pull_request", Payloads.GitHub("github/pull_request.closed.not-merged.json", repo));

        delivery.Action.Should().Be("closed");
        var pr = await t.Prs.GetAsync("github", repo, 2, CancellationToken.None);
        pr!.State.Should().Be("closed");
        pr.MergeCommitSha.Should().BeNull("merge_commit_sha of an unmerged PR is GitHub's test merge");
        pr.MergedAt.Should().BeNull();
        pr.ClosedAt.Should().Be(DateTimeOffset.Parse("2019-05-15T15:21:18Z", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PullRequestEdited_StoresNewBodyAndRefs(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();

        await t.GitHubAsync("pull_request", Payloads.GitHub("github/pull_request.edited.json", repo));

        var pr = await t.Prs.GetAsync("github", repo, 1, CancellationToken.None);
        pr!.State.Should().Be("open");
        pr.Title.Should().Be("Update .drone.yml");
        pr.Body.Should().Be("this is an edit");
        pr.Author.Should().Be("bradrydzewski");
        pr.HeadRef.Should().Be("master");
        pr.HeadSha.Should().Be("d2b75aa7797ec26b088fa2dd527e9d2c052fcedd");
        pr.BaseRef.Should().Be("bradrydzewski-patch-1");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PullRequestReopenedAndSynchronize_StayOpenWithHeadCommit(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();

        var reopened = await t.GitHubAsync("pull_request", Payloads.GitHub("github/pull_request.reopened.json", repo));
        var synchronize = await t.GitHubAsync("pull_request", Payloads.GitHub("github/pull_request.synchronize.json", repo));

        reopened.Action.Should().Be("reopened");
        synchronize.Action.Should().Be("synchronize");
        var pr = await t.Prs.GetAsync("github", repo, 2, CancellationToken.None);
        pr!.State.Should().Be("open");
        pr.HeadSha.Should().Be(HeadSha);
        (await t.PrCommitsAsync(repo)).Select(c => c.Sha).Should().Equal(HeadSha);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task MergedPr_StateFromMergedFlag_WithMergeShaAndTime(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();

        await t.GitHubAsync("pull_request", Payloads.GitHub("github/pull_request.closed.not-merged.json", repo, Merge("2019-05-15T15:21:18Z")));

        var pr = await t.Prs.GetAsync("github", repo, 2, CancellationToken.None);
        pr!.State.Should().Be("merged");
        pr.MergeCommitSha.Should().Be("c4295bd74fb0f4fda03689c3df3f2803b658fd85");
        pr.MergedAt.Should().Be(DateTimeOffset.Parse("2019-05-15T15:21:18Z", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task MergedRevertPr_SetsRevertedAtOfTheNamedPr(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();
        await t.GitHubAsync("pull_request", Payloads.GitHub("github/pull_request.opened.json", repo));

        await t.GitHubAsync("pull_request", Payloads.GitHub("github/pull_request.closed.not-merged.json", repo, node =>
        {
            Merge("2019-05-16T10:00:00Z")(node);
            node["number"] = 3;
            node["pull_request"]!["number"] = 3;
            node["pull_request"]!["body"] = $"Reverts {repo}#2\n\nThis broke the build.";
        }));

        var reverted = await t.Prs.GetAsync("github", repo, 2, CancellationToken.None);
        reverted!.RevertedAt.Should().Be(DateTimeOffset.Parse("2019-05-16T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        reverted.RevertedByPr.Should().Be(3);
        (await t.Prs.GetAsync("github", repo, 3, CancellationToken.None))!.RevertedAt.Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ClosedBeforeOpened_ClosedStays(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();

        await t.GitHubAsync("pull_request", Payloads.GitHub("github/pull_request.closed.not-merged.json", repo));
        var late = await t.GitHubAsync("pull_request", Payloads.GitHub("github/pull_request.opened.json", repo));

        late.Reason.Should().Contain("newest kept");
        var pr = await t.Prs.GetAsync("github", repo, 2, CancellationToken.None);
        pr!.State.Should().Be("closed");
        pr.ClosedAt.Should().NotBeNull();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task OlderSynchronizeAfterNewer_NewerHeadStays(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();
        const string newerSha = "1111111111111111111111111111111111111111";

        await t.GitHubAsync("pull_request", Payloads.GitHub("github/pull_request.synchronize.json", repo, node =>
        {
            node["pull_request"]!["updated_at"] = "2019-05-15T16:00:00Z";
            node["pull_request"]!["head"]!["sha"] = newerSha;
            node["pull_request"]!["title"] = "newer title";
        }));
        await t.GitHubAsync("pull_request", Payloads.GitHub("github/pull_request.synchronize.json", repo));

        var pr = await t.Prs.GetAsync("github", repo, 2, CancellationToken.None);
        pr!.HeadSha.Should().Be(newerSha);
        pr.Title.Should().Be("newer title");
        (await t.PrCommitsAsync(repo)).Select(c => c.Sha).Should().BeEquivalentTo([newerSha, HeadSha], "both heads were commits of the PR");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SameDeliveryTwice_SecondIsDuplicateWithoutEffect(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();
        var body = Payloads.GitHub("github/pull_request.opened.json", repo);
        var id = Guid.NewGuid().ToString();
        await t.GitHubAsync("pull_request", body, id);
        var before = await t.Db.SingleAsync<string>("SELECT updated_ts FROM pr_outcomes WHERE repo_slug = @repo", new { repo });

        using var again = await t.Client.GitHubAsync("pull_request", body, id);

        again.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        var answer = JsonNode.Parse(await again.Content.ReadAsStringAsync())!;
        answer["delivery"]!.GetValue<string>().Should().Be(id);
        answer["duplicate"]!.GetValue<bool>().Should().BeTrue();
        (await t.Db.CountAsync("SELECT count(*) FROM webhook_deliveries WHERE delivery_id = @id", new { id })).Should().Be(1);
        (await t.Db.SingleAsync<string>("SELECT updated_ts FROM pr_outcomes WHERE repo_slug = @repo", new { repo })).Should().Be(before);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AppliedDelivery_KeepsItsRowButNeitherBodyNorHash(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var body = Payloads.GitHub("github/pull_request.opened.json", Payloads.UniqueRepo());
        var id = Guid.NewGuid().ToString();

        var delivery = await t.GitHubAsync("pull_request", body, id);

        (await t.Db.CountAsync("SELECT count(*) FROM webhook_delivery_bodies WHERE delivery_row_id = @Id", new { delivery.Id }))
            .Should().Be(0, "without Attribution:Webhooks:KeepBodies an applied delivery's body is not stored");
        (await t.Db.SingleAsync<string?>("SELECT body_sha256 FROM webhook_deliveries WHERE id = @Id", new { delivery.Id }))
            .Should().BeNull("the hash is taken with a stored body, or as the id of a delivery without one");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Accepted_AnswersDeliveryEventAndAction(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var id = Guid.NewGuid().ToString();

        using var response = await t.Client.GitHubAsync("pull_request", Payloads.GitHub("github/pull_request.opened.json", Payloads.UniqueRepo()), id);

        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Accepted);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        answer["delivery"]!.GetValue<string>().Should().Be(id);
        answer["event"]!.GetValue<string>().Should().Be("pull_request");
        answer["action"]!.GetValue<string>().Should().Be("opened");
    }

    private static Action<JsonObject> Merge(string mergedAt) => node =>
    {
        node["pull_request"]!["merged"] = true;
        node["pull_request"]!["merged_at"] = mergedAt;
        node["pull_request"]!["closed_at"] = mergedAt;
        node["pull_request"]!["updated_at"] = mergedAt;
    };
}
