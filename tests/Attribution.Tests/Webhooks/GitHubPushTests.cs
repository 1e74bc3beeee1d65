using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Webhooks;

public sealed class GitHubPushTests(WebhookAppFixture fixture) : IClassFixture<WebhookAppFixture>
{
    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PushBranchCreated_StoresCommitFilesAndBranch(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();

        var delivery = await t.GitHubAsync("push", Payloads.GitHub("github/push.branch-created.json", repo));

        delivery.Status.Should().Be("processed");
        delivery.Action.Should().BeNull();
        delivery.Reason.Should().BeNull();
        var commit = (await t.CommitsAsync(repo)).Should().ContainSingle().Subject;
        commit.Sha.Should().Be("6113728f27ae82c7b1a177c8d03f9e96e0adf246");
        commit.Message.Should().Be("Initial commit");
        commit.Subject.Should().Be("Initial commit");
        commit.AuthorName.Should().Be("Codertocat");
        commit.AuthorEmail.Should().Be("21031067+Codertocat@users.noreply.github.com");
        commit.CommitterName.Should().Be("Codertocat");
        commit.AuthorTs.Should().Be("2019-05-15T15:19:25.0000000Z");
        commit.Source.Should().Be("push");
        (await t.FilesAsync(repo)).Should().ContainSingle().Which.Should().BeEquivalentTo(new FileRow { Sha = commit.Sha, Path = "README.md", Status = "added" });
        (await t.RefsAsync(repo, commit.Sha)).Should().Equal("master");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PushBranchUpdated_StoresModifiedFileAndTimeInUtc(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();

        await t.GitHubAsync("push", Payloads.GitHub("github/push.branch-updated.json", repo));

        var commit = (await t.CommitsAsync(repo)).Should().ContainSingle().Subject;
        commit.Sha.Should().Be("199eddf46df50de8d02e99bf1c5fdb4101338224");
        commit.Message.Should().Be("Update README");
        commit.AuthorTs.Should().Be("2018-06-15T20:01:51.0000000Z");
        commit.CommitterName.Should().Be("GitHub");
        (await t.FilesAsync(repo)).Should().ContainSingle().Which.Status.Should().Be("modified");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PushRemovedFile_IsStoredAsDeleted(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();

        await t.GitHubAsync("push", Payloads.GitHub("github/push.branch-updated.json", repo, node =>
        {
            node["commits"]![0]!["modified"] = new System.Text.Json.Nodes.JsonArray();
            node["commits"]![0]!["removed"] = new System.Text.Json.Nodes.JsonArray("old.txt");
        }));

        (await t.FilesAsync(repo)).Should().ContainSingle().Which.Should().BeEquivalentTo(
            new FileRow { Sha = "199eddf46df50de8d02e99bf1c5fdb4101338224", Path = "old.txt", Status = "deleted" });
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PushTagDeleted_IsDeliveryOnly(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();

        var delivery = await t.GitHubAsync("push", Payloads.GitHub("github/push.tag-deleted.json", repo));

        delivery.Status.Should().Be("processed");
        delivery.Reason.Should().Be("tag push: recorded as delivery only");
        (await t.CommitsAsync(repo)).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task BranchDeletion_IsDeliveryOnly(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();

        var delivery = await t.GitHubAsync("push", Payloads.GitHub("github/push.branch-updated.json", repo, node =>
        {
            node["deleted"] = true;
            node["after"] = new string('0', 40);
        }));

        delivery.Reason.Should().Be("branch deletion: recorded as delivery only");
        (await t.CommitsAsync(repo)).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PushToOpenPrHeadBranch_AddsCommitsToThePr(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();
        await t.GitHubAsync("pull_request", Payloads.GitHub("github/pull_request.opened.json", repo));

        await t.GitHubAsync("push", Payloads.GitHub("github/push.branch-updated.json", repo, node => node["ref"] = "refs/heads/changes"));

        (await t.PrCommitsAsync(repo)).Should().BeEquivalentTo(new[]
        {
            new PrCommitRow { PrNumber = 2, Sha = "199eddf46df50de8d02e99bf1c5fdb4101338224", Source = "push" },
            new PrCommitRow { PrNumber = 2, Sha = "ec26c3e57ca3a959ca5aad62de7213c562f8c821", Source = "webhook" },
        });
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PushToOtherBranch_AddsNoPrCommits(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();
        await t.GitHubAsync("pull_request", Payloads.GitHub("github/pull_request.opened.json", repo));

        await t.GitHubAsync("push", Payloads.GitHub("github/push.branch-updated.json", repo));

        (await t.PrCommitsAsync(repo)).Select(c => c.Source).Should().Equal("webhook");
    }
}
