using System.Net;
using System.Text.Json;
using Attribution.Artifacts;
using Attribution.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Attribution.Tests.Artifacts.ArtifactTestData;

namespace Attribution.Tests.Artifacts;

/// <summary>The scenarios of the agents PR (seed 002) and more, captured through the service, resolved through the API.</summary>
public sealed class ArtifactResolutionTests(ArtifactAppFixture fixture) : IClassFixture<ArtifactAppFixture>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static async Task<JsonElement> ResolveAsync(AttributionApp app, string query)
    {
        using var client = app.CreateClient();
        using var response = await client.GetAsync("/api/attribution/artifact?" + query);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static void ShouldBe(JsonElement result, string mode, string? sessionId, string confidence)
    {
        result.GetProperty("mode").GetString().Should().Be(mode, result.ToString());
        result.GetProperty("sessionId").GetString().Should().Be(sessionId, result.ToString());
        result.GetProperty("confidence").GetString().Should().Be(confidence);
        result.GetProperty("diagnostic").GetString().Should().NotBeNullOrWhiteSpace();
    }

    private static ArtifactCapture Capture(AttributionApp app) => app.Services.GetRequiredService<ArtifactCapture>();

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_FeedbackCarriesValidMetadata_IsDirect(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("chhsia0/knative-route-demo");
        await SeedSessionAsync(app.Database, "s-direct-" + repo, "claude-code", Now.AddHours(-1));
        var item = IssueComment(repo, "Done.\n" + Marker(repo, 3, "s-direct-" + repo));
        await SeedFeedbackAsync(app.Database, item, Now);

        var result = await ResolveAsync(app, $"repo={repo}&commentId={item.ExternalId}");

        ShouldBe(result, "direct", "s-direct-" + repo, "exact");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_CommentIsCapturedArtifact_IsArtifactComment(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("chhsia0/knative-route-demo");
        var session = "s-own-" + repo;
        await SeedSessionAsync(app.Database, session, "claude-code", Now.AddHours(-1));
        var captured = await Capture(app).CaptureFeedbackAsync(IssueComment(repo, "Summary\n" + Marker(repo, 3, session)), CancellationToken.None);

        var result = await ResolveAsync(app, $"repo={repo}&commentId=546616131&pr=3");

        captured.Outcome.Should().Be(CaptureOutcome.Captured);
        ShouldBe(result, "artifact_comment", session, "exact");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_ReplyToSignedReviewComment_IsArtifactParentComment(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("Codertocat/Hello-World");
        var session = "s-parent-" + repo;
        await SeedSessionAsync(app.Database, session, "codex", Now.AddHours(-2));
        await Capture(app).CaptureFeedbackAsync(ReviewComment(repo, "Use a constant here.\n" + Marker(repo, 2, session)), CancellationToken.None);
        var reply = ReviewComment(repo, "/agents improve: please explain", id: "284312999", inReplyTo: "284312630", reviewId: "237899999");
        await SeedFeedbackAsync(app.Database, reply, Now);

        var result = await ResolveAsync(app, $"repo={repo}&reviewCommentId=284312999");

        ShouldBe(result, "artifact_parent_comment", session, "exact");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_ReplyInThreadWhereAgentAnswered_IsArtifactParentComment(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("Codertocat/Hello-World");
        var session = "s-thread-" + repo;
        await SeedSessionAsync(app.Database, session, "claude-code", Now.AddHours(-2));
        // GitHub points every reply of a review thread at the thread's first comment (here a human's, 284312630).
        await Capture(app).CaptureFeedbackAsync(ReviewComment(repo, "Fixed in the next commit.\n" + Marker(repo, 2, session), id: "284312700", inReplyTo: "284312630", reviewId: "237890001"), CancellationToken.None);

        var result = await ResolveAsync(app, $"repo={repo}&reviewCommentId=284312800&inReplyToId=284312630&reviewId=237890002");

        ShouldBe(result, "artifact_parent_comment", session, "exact");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_CommentInSignedReview_IsArtifactReview(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("Codertocat/Hello-World");
        var session = "s-review-" + repo;
        await SeedSessionAsync(app.Database, session, "claude-code", Now.AddHours(-2));
        await Capture(app).CaptureFeedbackAsync(Review(repo, "Review summary\n" + Marker(repo, 2, session)), CancellationToken.None);

        var result = await ResolveAsync(app, $"repo={repo}&reviewCommentId=284312630&reviewId=237895671&pr=2&path=README.md");

        ShouldBe(result, "artifact_review", session, "exact");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Capture_MetadataSignedForAnotherRepo_IsRejectedAndNotIndexed(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("chhsia0/knative-route-demo");
        await SeedSessionAsync(app.Database, "s-copied-" + repo, "claude-code", Now);
        var item = IssueComment(repo, Marker("someone/else", 3, "s-copied-" + repo));
        await SeedFeedbackAsync(app.Database, item, Now);

        var captured = await Capture(app).CaptureFeedbackAsync(item, CancellationToken.None);
        var result = await ResolveAsync(app, $"repo={repo}&commentId={item.ExternalId}");

        captured.Outcome.Should().Be(CaptureOutcome.Rejected);
        captured.Reason.Should().Contain("someone/else");
        (await ArtifactCountAsync(app.Database, repo)).Should().Be(0);
        ShouldBe(result, "unresolved", null, "unresolved");
        result.GetProperty("diagnostic").GetString().Should().Contain("does not match");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Capture_InvalidSignature_IsRejectedAndReasonRecordedOnDelivery(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("chhsia0/knative-route-demo");
        var delivery = Guid.NewGuid().ToString();
        await SeedDeliveryAsync(app.Database, delivery, repo);
        var marker = Marker(repo, 3, "s-forged");
        var sigAt = marker.IndexOf("\"sig\":\"", StringComparison.Ordinal) + 7;
        var forged = marker[..sigAt] + "AAAA" + marker[(sigAt + 4)..];

        var captured = await Capture(app).CaptureFeedbackAsync(IssueComment(repo, forged, deliveryId: delivery), CancellationToken.None);

        captured.Outcome.Should().Be(CaptureOutcome.Rejected);
        (await ArtifactCountAsync(app.Database, repo)).Should().Be(0);
        (await DeliveryReasonAsync(app.Database, delivery)).Should().Be("attribution metadata rejected: invalid attribution signature");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_TwoSessionsSignedOnSamePrFile_IsUnresolvedAmbiguous(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("Codertocat/Hello-World");
        await SeedSessionAsync(app.Database, "s-amb-1-" + repo, "claude-code", Now);
        await SeedSessionAsync(app.Database, "s-amb-2-" + repo, "codex", Now);
        await Capture(app).CaptureFeedbackAsync(ReviewComment(repo, Marker(repo, 2, "s-amb-1-" + repo), id: "1001", reviewId: "9001"), CancellationToken.None);
        await Capture(app).CaptureFeedbackAsync(ReviewComment(repo, Marker(repo, 2, "s-amb-2-" + repo), id: "1002", reviewId: "9002"), CancellationToken.None);

        var result = await ResolveAsync(app, $"repo={repo}&reviewCommentId=1003&pr=2&path=README.md");

        ShouldBe(result, "unresolved", null, "unresolved");
        result.GetProperty("diagnostic").GetString().Should().StartWith("ambiguous: 2 candidates");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_OneSignedArtifactOnPrFile_IsArtifactPrContext(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("Codertocat/Hello-World");
        var session = "s-ctx-" + repo;
        await SeedSessionAsync(app.Database, session, "claude-code", Now);
        await Capture(app).CaptureFeedbackAsync(ReviewComment(repo, Marker(repo, 2, session), id: "2001", reviewId: "9101"), CancellationToken.None);

        var result = await ResolveAsync(app, $"repo={repo}&reviewCommentId=2002&pr=2&path=README.md");

        ShouldBe(result, "artifact_pr_context", session, "exact");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_NothingKnown_IsUnresolvedWithDiagnostic(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("chhsia0/knative-route-demo");

        var result = await ResolveAsync(app, $"repo={repo}&commentId=546616131&pr=3");

        ShouldBe(result, "unresolved", null, "unresolved");
        result.GetProperty("diagnostic").GetString().Should().Contain("no session linked to PR #3");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_OneSessionLinkedToPrInWindow_IsInferred(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("chhsia0/knative-route-demo");
        var session = "s-inf-" + repo;
        await SeedSessionAsync(app.Database, session, "claude-code", Now.AddHours(-3));
        await SeedPrLinkAsync(app.Database, session, "github", repo, 3);
        await SeedFeedbackAsync(app.Database, IssueComment(repo, "please fix"), Now);

        var result = await ResolveAsync(app, $"repo={repo}&commentId=546616131");

        ShouldBe(result, "inferred", session, "inferred");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_LinkedSessionOutsideWindow_IsNotInferred(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("chhsia0/knative-route-demo");
        await SeedSessionAsync(app.Database, "s-old-" + repo, "claude-code", Now.AddDays(-5));
        await SeedPrLinkAsync(app.Database, "s-old-" + repo, "github", repo, 3);

        var result = await ResolveAsync(app, $"repo={repo}&pr=3&at={Uri.EscapeDataString(Now.ToString("O"))}");

        ShouldBe(result, "unresolved", null, "unresolved");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_InternalAnalystAndOneCoder_InfersTheCoderOnly(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("chhsia0/knative-route-demo");
        await SeedSessionAsync(app.Database, "s-analyst-" + repo, "analyst", Now.AddHours(-1));
        await SeedSessionAsync(app.Database, "s-coder-" + repo, "claude-code", Now.AddHours(-1));
        await SeedPrLinkAsync(app.Database, "s-analyst-" + repo, "github", repo, 3);
        await SeedPrLinkAsync(app.Database, "s-coder-" + repo, "github", repo, 3);

        var result = await ResolveAsync(app, $"repo={repo}&pr=3");

        ShouldBe(result, "inferred", "s-coder-" + repo, "inferred");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_OnlyInternalSessionsLinked_IsNeverInferred(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("chhsia0/knative-route-demo");
        var analyst = "s-analyst-only-" + repo;
        await SeedSessionAsync(app.Database, analyst, "claude-code", Now.AddHours(-1));
        await SeedPrLinkAsync(app.Database, analyst, "github", repo, 3);
        // Its signed metadata names it the internal "analyst" agent.
        await Capture(app).CaptureFeedbackAsync(IssueComment(repo, Marker(repo, 3, analyst, agentName: "analyst"), id: "777"), CancellationToken.None);

        var inferred = await ResolveAsync(app, $"repo={repo}&pr=3");
        var exact = await ResolveAsync(app, $"repo={repo}&commentId=777");

        ShouldBe(inferred, "unresolved", null, "unresolved");
        ShouldBe(exact, "artifact_comment", analyst, "exact");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_ReviewCommentOnSignedCommit_IsCommitArtifact(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("Codertocat/Hello-World");
        var session = "s-commit-" + repo;
        await SeedSessionAsync(app.Database, session, "claude-code", Now.AddHours(-4));
        var commit = await Capture(app).CaptureCommitAsync(repo, ReviewCommentSha, "Update README\n\n" + TrailerLine(repo, session) + "\nAgents-Run: " + session + "\n", CancellationToken.None);
        var comment = ReviewComment(repo, "Maybe you should use more emoji on this line.");
        await SeedFeedbackAsync(app.Database, comment, Now);

        var result = await ResolveAsync(app, $"repo={repo}&reviewCommentId={comment.ExternalId}");

        commit.Outcome.Should().Be(CaptureOutcome.Captured);
        ShouldBe(result, "commit_artifact", session, "exact");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_CommentOnUnsignedCommit_IsNotInferred(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("Codertocat/Hello-World");
        await SeedSessionAsync(app.Database, "s-near-" + repo, "claude-code", Now.AddHours(-1));
        await SeedPrLinkAsync(app.Database, "s-near-" + repo, "github", repo, 2);

        var result = await ResolveAsync(app, $"repo={repo}&pr=2&commitSha={ReviewCommentSha}");

        ShouldBe(result, "unresolved", null, "unresolved");
        result.GetProperty("diagnostic").GetString().Should().Contain("has no signed agent attribution");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_WholeReviewAtSignedHead_IsNotPinnedOnTheHeadCommit(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("Codertocat/Hello-World");
        var headSession = "s-head-" + repo;
        var otherSession = "s-other-" + repo;
        await SeedSessionAsync(app.Database, headSession, "claude-code", Now.AddHours(-2));
        await SeedSessionAsync(app.Database, otherSession, "codex", Now.AddHours(-2));
        await SeedPrLinkAsync(app.Database, headSession, "github", repo, 2);
        await SeedPrLinkAsync(app.Database, otherSession, "github", repo, 2);
        await Capture(app).CaptureCommitAsync(repo, ReviewCommentSha, "Head\n\n" + TrailerLine(repo, headSession), CancellationToken.None);
        var review = Review(repo, "Please split this PR.");
        await SeedFeedbackAsync(app.Database, review, Now);

        var result = await ResolveAsync(app, $"repo={repo}&reviewId={review.ExternalId}");

        ShouldBe(result, "unresolved", null, "unresolved");
        result.GetProperty("diagnostic").GetString().Should().Contain("ambiguous: 2 candidates");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task OpenApi_ListsTheArtifactEndpoint(string provider)
    {
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();

        var document = await client.GetStringAsync("/openapi/v1.json");

        document.Should().Contain("/api/attribution/artifact").And.Contain("reviewCommentId");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_GitLabNoteAndReply_ResolveToTheSigningSession(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("gitlab-org/gitlab-test");
        var session = "s-gitlab-" + repo;
        await SeedSessionAsync(app.Database, session, "codex", Now.AddHours(-1));
        var captured = await Capture(app).CaptureFeedbackAsync(GitLabNote(repo, "This MR needs work.\n" + Marker(repo, 1, session)), CancellationToken.None);
        await SeedFeedbackAsync(app.Database, GitLabNote(repo, "why?", id: "1245", inReplyTo: "1244"), Now);

        var own = await ResolveAsync(app, $"repo={repo}&provider=gitlab&commentId=1244");
        var reply = await ResolveAsync(app, $"repo={repo}&commentId=1245");

        captured.Outcome.Should().Be(CaptureOutcome.Captured);
        ShouldBe(own, "artifact_comment", session, "exact");
        ShouldBe(reply, "artifact_parent_comment", session, "exact");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Capture_SameCommentReplayed_StoresOneRow(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("chhsia0/knative-route-demo");
        var item = IssueComment(repo, Marker(repo, 3, "s-replay"));

        var first = await Capture(app).CaptureFeedbackAsync(item, CancellationToken.None);
        var second = await Capture(app).CaptureFeedbackAsync(item, CancellationToken.None);

        first.Outcome.Should().Be(CaptureOutcome.Captured);
        second.Outcome.Should().Be(CaptureOutcome.Duplicate);
        (await ArtifactCountAsync(app.Database, repo)).Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Capture_EditedCommentNamingAnotherSession_FirstWriteWins(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("chhsia0/knative-route-demo");
        await SeedSessionAsync(app.Database, "s-first-" + repo, "claude-code", Now);
        await SeedSessionAsync(app.Database, "s-second-" + repo, "claude-code", Now);
        await Capture(app).CaptureFeedbackAsync(IssueComment(repo, Marker(repo, 3, "s-first-" + repo)), CancellationToken.None);

        var edited = await Capture(app).CaptureFeedbackAsync(IssueComment(repo, "edited\n" + Marker(repo, 3, "s-second-" + repo)), CancellationToken.None);
        var result = await ResolveAsync(app, $"repo={repo}&commentId=546616131");

        edited.Outcome.Should().Be(CaptureOutcome.Duplicate);
        ShouldBe(result, "artifact_comment", "s-first-" + repo, "exact");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_ArtifactOfUnknownSession_IsUnresolvedAndSaysSo(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("chhsia0/knative-route-demo");
        await Capture(app).CaptureFeedbackAsync(IssueComment(repo, Marker(repo, 3, "s-never-ingested")), CancellationToken.None);

        var result = await ResolveAsync(app, $"repo={repo}&commentId=546616131");

        ShouldBe(result, "unresolved", null, "unresolved");
        result.GetProperty("diagnostic").GetString().Should().Contain("artifact points to unknown session s-never-ingested");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_MissingRepo_Is400Problem(string provider)
    {
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/api/attribution/artifact?commentId=1");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadAsStringAsync()).Should().Contain("repo");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_HostileParameters_Are400ProblemNot500(string provider)
    {
        var app = await fixture.ForAsync(provider);
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/api/attribution/artifact?repo=o/r&pr=-1&commitSha=zz%27;drop&at=yesterday");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var body = await response.Content.ReadAsStringAsync();
        body.Should().Contain("pr").And.Contain("commitSha").And.Contain("at");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_MetadataSignedIndependently_ResolvesDirect(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("chhsia0/knative-route-demo");
        var session = "s-indep-" + repo;
        await SeedSessionAsync(app.Database, session, "claude-code", Now);
        var canonical = $"1\n{InstanceId}\ndefault\n{repo.ToLowerInvariant()}\n3\n{session}\n\nreviewer";
        var sig = Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes(Secret), System.Text.Encoding.UTF8.GetBytes(canonical)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var json = $"{{\"v\":1,\"instance_id\":\"{InstanceId}\",\"workspace\":\"default\",\"repo\":\"{repo}\",\"number\":3,\"span_id\":\"{session}\",\"agent_name\":\"reviewer\",\"sig\":\"{sig}\"}}";
        var item = IssueComment(repo, "ok\n<!-- agents-run: " + json + " -->");
        await SeedFeedbackAsync(app.Database, item, Now);

        var result = await ResolveAsync(app, $"repo={repo}&commentId={item.ExternalId}");

        ShouldBe(result, "direct", session, "exact");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Resolve_MetadataOfAnotherWorkspace_RefusedAsTheAgentsResolverDoes(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("acme/workspaces");
        var session = "s-team-" + repo;
        await SeedSessionAsync(app.Database, session, "claude-code", Now);
        var canonical = $"1\n{InstanceId}\nteam\n{repo.ToLowerInvariant()}\n3\n{session}\n\nreviewer";
        var sig = Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes(Secret), System.Text.Encoding.UTF8.GetBytes(canonical)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var json = $"{{\"v\":1,\"instance_id\":\"{InstanceId}\",\"workspace\":\"team\",\"repo\":\"{repo}\",\"number\":3,\"span_id\":\"{session}\",\"agent_name\":\"reviewer\",\"sig\":\"{sig}\"}}";
        var item = IssueComment(repo, "ok\n<!-- agents-run: " + json + " -->");
        await SeedFeedbackAsync(app.Database, item, Now);

        // A correct signature is not enough: the metadata names workspace "team", the query (this deployment's) is "default".
        var result = await ResolveAsync(app, $"repo={repo}&commentId={item.ExternalId}");
        result.GetProperty("mode").GetString().Should().NotBe("direct");
        result.GetProperty("diagnostic").GetString().Should().Contain("metadata workspace 'team' does not match query workspace 'default'");

        // Asking about workspace "team" explicitly: this deployment holds "default" only.
        var asked = await ResolveAsync(app, $"repo={repo}&commentId={item.ExternalId}&workspace=team");
        ShouldBe(asked, "unresolved", null, "unresolved");
        asked.GetProperty("diagnostic").GetString().Should().Contain("holds workspace 'default' only");
    }
}
