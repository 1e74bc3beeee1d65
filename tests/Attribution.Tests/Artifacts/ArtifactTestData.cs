using System.Text.Json;
using Attribution.Artifacts;
using Attribution.Common;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace Attribution.Tests.Artifacts;

/// <summary>
/// Values shaped like the real webhook fixtures (ids, numbers, paths, shas), with signed bodies, and seeding of the
/// shared tables other features own (sessions, pr_feedback, session_pr_links, commits) through their stores.
/// </summary>
internal static class ArtifactTestData
{
    public const string Secret = "test-secret";
    public const string InstanceId = "prod-a";
    public static readonly SigningKey Key = new(Secret, InstanceId);

    /// <summary>A repository slug of its own per test, so tests sharing one host never see each other's rows.</summary>
    public static string UniqueRepo(string baseSlug) => $"{baseSlug}-{Guid.NewGuid():N}"[..(baseSlug.Length + 9)];

    public static string Marker(string repo, long number, string session, string agentName = "coder") =>
        AttributionMarkers.CommentMarker(AttributionSigner.Create(Key, "default", repo, number, session, "agent-" + agentName, agentName));

    public static string TrailerLine(string repo, string session) =>
        AttributionMarkers.TrailerLine(AttributionSigner.Create(Key, "default", repo, 0, session, "", "coder"));

    private static JsonElement Fixture(string name) => JsonDocument.Parse(FixtureFiles.ReadFixture(name)).RootElement;

    /// <summary>github/issue_comment.created.on-pr.json: comment 546616131 on PR #3.</summary>
    public static FeedbackRecord IssueComment(string repo, string? body, string? id = null, string? deliveryId = null)
    {
        var json = Fixture("github/issue_comment.created.on-pr.json");
        return new FeedbackRecord
        {
            Provider = "github",
            RepoSlug = repo,
            Kind = "issue_comment",
            ExternalId = id ?? json.GetProperty("comment").GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            PrNumber = json.GetProperty("issue").GetProperty("number").GetInt64(),
            Body = body ?? json.GetProperty("comment").GetProperty("body").GetString(),
            DeliveryId = deliveryId,
        };
    }

    /// <summary>github/pull_request_review.submitted.json: review 237895671 on PR #2 at commit ec26c3e5.</summary>
    public static FeedbackRecord Review(string repo, string? body, string? id = null)
    {
        var json = Fixture("github/pull_request_review.submitted.json");
        var review = json.GetProperty("review");
        return new FeedbackRecord
        {
            Provider = "github",
            RepoSlug = repo,
            Kind = "review",
            ExternalId = id ?? review.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            PrNumber = json.GetProperty("pull_request").GetProperty("number").GetInt64(),
            CommitSha = review.GetProperty("commit_id").GetString(),
            Body = body,
        };
    }

    /// <summary>github/pull_request_review_comment.created.json: comment 284312630 in review 237895671, README.md line 265.</summary>
    public static FeedbackRecord ReviewComment(string repo, string? body, string? id = null, string? inReplyTo = null, string? reviewId = null)
    {
        var json = Fixture("github/pull_request_review_comment.created.json");
        var comment = json.GetProperty("comment");
        return new FeedbackRecord
        {
            Provider = "github",
            RepoSlug = repo,
            Kind = "review_comment",
            ExternalId = id ?? comment.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            PrNumber = json.GetProperty("pull_request").GetProperty("number").GetInt64(),
            ReviewId = reviewId ?? comment.GetProperty("pull_request_review_id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            InReplyToId = inReplyTo,
            Path = comment.GetProperty("path").GetString(),
            Line = comment.GetProperty("line").GetInt64(),
            CommitSha = comment.GetProperty("commit_id").GetString(),
            Body = body ?? comment.GetProperty("body").GetString(),
        };
    }

    public static string ReviewCommentSha => Fixture("github/pull_request_review_comment.created.json").GetProperty("comment").GetProperty("commit_id").GetString()!;

    /// <summary>gitlab/note.merge_request.json: note 1244 on MR !1 of gitlab-org/gitlab-test.</summary>
    public static FeedbackRecord GitLabNote(string repo, string? body, string? id = null, string? inReplyTo = null)
    {
        var json = Fixture("gitlab/note.merge_request.json");
        return new FeedbackRecord
        {
            Provider = "gitlab",
            RepoSlug = repo,
            Kind = "note",
            ExternalId = id ?? json.GetProperty("object_attributes").GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            PrNumber = json.GetProperty("merge_request").GetProperty("iid").GetInt64(),
            InReplyToId = inReplyTo,
            Body = body ?? json.GetProperty("object_attributes").GetProperty("note").GetString(),
        };
    }

    public static Task SeedSessionAsync(TestDatabase db, string sessionId, string agent, DateTimeOffset started, DateTimeOffset? ended = null, string? repo = null) =>
        new GraphSeeder(db.Connections).SessionAsync(sessionId, agent, null, repo is null ? null : RepoSlug.Normalize(repo), null, started, ended ?? started.AddMinutes(30));

    public static Task SeedPrLinkAsync(TestDatabase db, string sessionId, string provider, string repo, long pr) =>
        new GraphSeeder(db.Connections).SessionPrLinkAsync(sessionId, RepoSlug.Normalize(repo), checked((int)pr), provider);

    /// <summary>Stores a feedback item through the receivers' store; its updated_ts is <paramref name="updatedAt"/> (default: the time of writing).</summary>
    public static Task SeedFeedbackAsync(TestDatabase db, FeedbackRecord item, DateTimeOffset createdAt, DateTimeOffset? updatedAt = null) =>
        new FeedbackStore(db.Connections, new FakeTimeProvider(updatedAt ?? DateTimeOffset.UtcNow))
            .InsertAsync(item with { CreatedAt = createdAt, Author = "someone" }, CancellationToken.None);

    // A finished delivery row: the receiver's path (insert, claim, complete) needs a running processor; the row is what it leaves.
    public static async Task SeedDeliveryAsync(TestDatabase db, string deliveryId, string repo)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            """
            INSERT INTO webhook_deliveries (receiver, delivery_id, event, action, repo_slug, status, body_sha256, received_ts)
            VALUES ('github', @Id, 'issue_comment', 'created', @Repo, 'processed', 'x', @Now)
            """,
            new { Id = deliveryId, Repo = RepoSlug.Normalize(repo), Now = DateTimeOffset.UtcNow });
    }

    public static async Task<string?> DeliveryReasonAsync(TestDatabase db, string deliveryId)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        return await connection.QuerySingleOrDefaultAsync<string?>("SELECT reason FROM webhook_deliveries WHERE delivery_id = @Id", new { Id = deliveryId });
    }

    /// <summary>Stores a commit as a push delivery does: message only, no file list.</summary>
    public static Task SeedCommitAsync(TestDatabase db, string repo, string sha, string message) =>
        new CommitStore(db.Connections, TimeProvider.System).UpsertAsync([new CommitRecord { RepoSlug = repo, Sha = sha, Message = message, Source = "push" }], CancellationToken.None);

    public static async Task<long> ArtifactCountAsync(TestDatabase db, string repo)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM run_attribution_artifacts WHERE repo_slug = @Repo", new { Repo = RepoSlug.Normalize(repo) });
    }
}
