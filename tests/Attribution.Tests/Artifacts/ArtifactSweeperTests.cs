using Attribution.Artifacts;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Attribution.Tests.Artifacts.ArtifactTestData;

namespace Attribution.Tests.Artifacts;

/// <summary>The serve-mode sweeper picks up feedback and signed commits stored by other features, in any order.</summary>
public sealed class ArtifactSweeperTests(ArtifactAppFixture fixture) : IClassFixture<ArtifactAppFixture>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static Task<int> SweepAsync(AttributionApp app) => app.Services.GetRequiredService<ArtifactSweeper>().SweepOnceAsync(CancellationToken.None);

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Sweep_SignedFeedbackAndCommitStoredByOthers_AreIndexed(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("Codertocat/Hello-World");
        var session = "s-sweep-" + repo;
        await SeedFeedbackAsync(app.Database, Review(repo, "Summary\n" + Marker(repo, 2, session)), Now.AddSeconds(-30));
        await SeedCommitAsync(app.Database, repo, ReviewCommentSha, "Update README\n\n" + TrailerLine(repo, session));
        await SeedFeedbackAsync(app.Database, IssueComment(repo, "no metadata here"), Now.AddSeconds(-10));

        await SweepAsync(app);

        (await ArtifactCountAsync(app.Database, repo)).Should().Be(2);
        var store = app.Services.GetRequiredService<ArtifactStore>();
        (await store.FindByReviewAsync(repo, "github", "237895671", CancellationToken.None))!.SpanId.Should().Be(session);
        (await store.FindCommitsAsync(repo, ReviewCommentSha, CancellationToken.None)).Should().ContainSingle().Which.SpanId.Should().Be(session);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Sweep_SecondPass_ReadsNothingAgain(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("chhsia0/knative-route-demo");
        await SeedFeedbackAsync(app.Database, IssueComment(repo, Marker(repo, 3, "s-once")), Now.AddSeconds(-5));
        await SweepAsync(app);

        var second = await SweepAsync(app);

        second.Should().Be(0);
        (await ArtifactCountAsync(app.Database, repo)).Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Sweep_ForgedFeedback_RecordsReasonOnItsDelivery(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("chhsia0/knative-route-demo");
        var delivery = Guid.NewGuid().ToString();
        await SeedDeliveryAsync(app.Database, delivery, repo);
        var foreign = AttributionMarkers.CommentMarker(AttributionSigner.Create(new SigningKey(Secret, "prod-b"), "default", repo, 3, "s-foreign", "", "coder"));
        await SeedFeedbackAsync(app.Database, IssueComment(repo, foreign, deliveryId: delivery), Now.AddSeconds(-5));

        await SweepAsync(app);

        (await ArtifactCountAsync(app.Database, repo)).Should().Be(0);
        (await DeliveryReasonAsync(app.Database, delivery)).Should().StartWith("attribution metadata rejected: attribution instance 'prod-b'");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ListFeedbackForSession_RepliesReviewCommentsAndCommitComments_AreListedOwnArtifactsAreNot(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("Codertocat/Hello-World");
        var session = "s-page-" + repo;
        var capture = app.Services.GetRequiredService<ArtifactCapture>();
        await capture.CaptureFeedbackAsync(ReviewComment(repo, Marker(repo, 2, session), id: "500", reviewId: "600"), CancellationToken.None);
        await SeedFeedbackAsync(app.Database, ReviewComment(repo, Marker(repo, 2, session), id: "500", reviewId: "600"), Now.AddMinutes(-5));
        await SeedFeedbackAsync(app.Database, ReviewComment(repo, "why this?", id: "501", inReplyTo: "500", reviewId: "601"), Now.AddMinutes(-4));
        await SeedFeedbackAsync(app.Database, ReviewComment(repo, "unrelated", id: "502", reviewId: "602") with { CommitSha = "0000000000000000000000000000000000000000" }, Now.AddMinutes(-3));

        var feedback = await app.Services.GetRequiredService<ArtifactStore>().ListFeedbackForSessionAsync(session, CancellationToken.None);

        feedback.Should().ContainSingle();
        feedback[0].ExternalId.Should().Be("501");
        feedback[0].Mode.Should().Be("artifact_parent_comment");
        feedback[0].Body.Should().Be("why this?");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SessionDocument_ReplyToSignedReviewComment_ListsTheResolvedFeedback(string provider)
    {
        var app = await fixture.ForAsync(provider);
        var repo = UniqueRepo("Codertocat/Hello-World");
        var session = "s-doc-" + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = await app.Database.Connections.OpenAsync(CancellationToken.None))
        {
            await Dapper.SqlMapper.ExecuteAsync(connection,
                "INSERT INTO sessions (session_id, agent, repo_slug, updated_ts) VALUES (@session, 'claude-code', @repo, '2026-11-01T00:00:00.0000000Z')",
                new { session, repo });
        }

        var capture = app.Services.GetRequiredService<ArtifactCapture>();
        await capture.CaptureFeedbackAsync(ReviewComment(repo, Marker(repo, 2, session), id: "700", reviewId: "800"), CancellationToken.None);
        await SeedFeedbackAsync(app.Database, ReviewComment(repo, Marker(repo, 2, session), id: "700", reviewId: "800"), Now.AddMinutes(-5));
        await SeedFeedbackAsync(app.Database, ReviewComment(repo, "<b>please rename</b>", id: "701", inReplyTo: "700", reviewId: "801"), Now.AddMinutes(-4));
        using var client = app.CreateClient();

        var doc = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(client, $"/api/attribution/session/{session}");

        var feedback = doc.GetProperty("feedback");
        feedback.GetArrayLength().Should().Be(1);
        feedback[0].GetProperty("id").GetString().Should().Be("701");
        feedback[0].GetProperty("body").GetString().Should().Be("<b>please rename</b>");
        feedback[0].GetProperty("mode").GetString().Should().Be("artifact_parent_comment");
        var page = await client.GetStringAsync($"/sessions/{session}");
        page.Should().Contain("&lt;b&gt;please rename&lt;/b&gt;").And.Contain("artifact_parent_comment").And.NotContain("<b>please rename</b>");
    }
}
