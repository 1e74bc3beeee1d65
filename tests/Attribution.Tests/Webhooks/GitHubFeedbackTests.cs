using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Webhooks;

public sealed class GitHubFeedbackTests(WebhookAppFixture fixture) : IClassFixture<WebhookAppFixture>
{
    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task IssueCommentOnPr_IsStoredAsFeedback(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();
        var id = Guid.NewGuid().ToString();

        await t.GitHubAsync("issue_comment", Payloads.GitHub("github/issue_comment.created.on-pr.json", repo), id);

        var row = (await t.FeedbackAsync(repo)).Should().ContainSingle().Subject;
        row.Should().BeEquivalentTo(new FeedbackRow
        {
            Provider = "github",
            RepoSlug = repo,
            Kind = "issue_comment",
            ExternalId = "546616131",
            PrNumber = 3,
            Author = "chhsia0",
            Body = "/build",
            CreatedAt = "2019-10-26T16:09:23.0000000Z",
            DeliveryId = id,
        });
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task IssueCommentOnPlainIssue_IsDeliveryOnly(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();

        var delivery = await t.GitHubAsync("issue_comment", Payloads.GitHub("github/issue_comment.created.on-issue.json", repo));

        delivery.Reason.Should().Contain("not a pull request");
        (await t.FeedbackAsync(repo)).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ReviewSubmitted_IsStoredAsReview(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();
        var id = Guid.NewGuid().ToString();

        await t.GitHubAsync("pull_request_review", Payloads.GitHub("github/pull_request_review.submitted.json", repo), id);

        (await t.FeedbackAsync(repo)).Should().ContainSingle().Which.Should().BeEquivalentTo(new FeedbackRow
        {
            Provider = "github",
            RepoSlug = repo,
            Kind = "review",
            ExternalId = "237895671",
            PrNumber = 2,
            ReviewId = "237895671",
            CommitSha = "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
            Author = "Codertocat",
            Body = null,
            CreatedAt = "2019-05-15T15:20:38.0000000Z",
            DeliveryId = id,
        });
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ReviewComment_IsStoredWithPathLineAndCommit(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();
        var id = Guid.NewGuid().ToString();

        await t.GitHubAsync("pull_request_review_comment", Payloads.GitHub("github/pull_request_review_comment.created.json", repo), id);

        (await t.FeedbackAsync(repo)).Should().ContainSingle().Which.Should().BeEquivalentTo(new FeedbackRow
        {
            Provider = "github",
            RepoSlug = repo,
            Kind = "review_comment",
            ExternalId = "284312630",
            PrNumber = 2,
            ReviewId = "237895671",
            InReplyToId = null,
            Path = "README.md",
            Line = 265,
            CommitSha = "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
            Author = "Codertocat",
            Body = "Maybe you should use more emoji on this line.",
            CreatedAt = "2019-05-15T15:20:37.0000000Z",
            DeliveryId = id,
        });
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task EditedComment_KeepsFirstWrite(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var repo = Payloads.UniqueRepo();
        await t.GitHubAsync("pull_request_review_comment", Payloads.GitHub("github/pull_request_review_comment.created.json", repo));

        var edit = await t.GitHubAsync("pull_request_review_comment", Payloads.GitHub("github/pull_request_review_comment.created.json", repo, node =>
        {
            node["action"] = "edited";
            node["comment"]!["body"] = "changed text";
        }));

        edit.Reason.Should().Be("edited; first write kept");
        (await t.FeedbackAsync(repo)).Should().ContainSingle().Which.Body.Should().Be("Maybe you should use more emoji on this line.");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Ping_IsDeliveryOnlyWithNullAction(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);
        var id = Guid.NewGuid().ToString();

        using var response = await t.Client.GitHubAsync("ping", Payloads.Raw("github/ping.json"), id);

        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Accepted);
        var answer = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        answer["event"]!.GetValue<string>().Should().Be("ping");
        answer.ContainsKey("action").Should().BeTrue();
        answer["action"].Should().BeNull();
        var delivery = await t.Db.ProcessedAsync("github", id);
        delivery.Reason.Should().Be("ping");
        delivery.RepoSlug.Should().Be("octocoders/hello-world");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task UnknownEvent_IsDeliveryOnly(string provider)
    {
        var t = await WebhookTestContext.ForAsync(fixture, provider);

        var delivery = await t.GitHubAsync("star", "{\"action\":\"created\",\"repository\":{\"full_name\":\"a/b\"}}"u8.ToArray());

        delivery.Status.Should().Be("processed");
        delivery.Action.Should().Be("created");
        delivery.Reason.Should().Contain("not handled");
    }
}
