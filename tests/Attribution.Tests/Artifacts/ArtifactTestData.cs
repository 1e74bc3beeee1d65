using System.Text.Json;
using Attribution.Artifacts;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Dapper;

namespace Attribution.Tests.Artifacts;

/// <summary>
/// Values shaped like the real webhook fixtures (ids, numbers, paths, shas), with signed bodies, and raw-SQL seeding
/// of the shared tables other features own (sessions, pr_feedback, session_pr_links, deliveries, commits).
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

    public static async Task SeedSessionAsync(TestDatabase db, string sessionId, string agent, DateTimeOffset started, DateTimeOffset? ended = null, string? repo = null)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            "INSERT INTO sessions (session_id, agent, started_ts, ended_ts, repo_slug, updated_ts) VALUES (@Id, @Agent, @Started, @Ended, @Repo, @Started)",
            new { Id = sessionId, Agent = agent, Started = started, Ended = ended ?? started.AddMinutes(30), Repo = repo is null ? null : RepoSlug.Normalize(repo) });
    }

    public static async Task SeedPrLinkAsync(TestDatabase db, string sessionId, string provider, string repo, long pr)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            "INSERT INTO session_pr_links (session_id, provider, repo_slug, pr_number, reason, confidence, evidence_json, established_ts) VALUES (@Id, @Provider, @Repo, @Pr, 'commit', 1.0, '{}', @Now)",
            new { Id = sessionId, Provider = provider, Repo = RepoSlug.Normalize(repo), Pr = pr, Now = DateTimeOffset.UtcNow });
    }

    /// <summary>Stores a feedback item the way a receiver does (pr_feedback, schema 0002); updated_ts defaults to the time of writing.</summary>
    public static async Task SeedFeedbackAsync(TestDatabase db, FeedbackRecord item, DateTimeOffset createdAt, DateTimeOffset? updatedAt = null)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            """
            INSERT INTO pr_feedback (provider, repo_slug, kind, external_id, pr_number, review_id, in_reply_to_id, path, line, commit_sha, author, body, created_at, delivery_id, updated_ts)
            VALUES (@Provider, @Repo, @Kind, @ExternalId, @PrNumber, @ReviewId, @InReplyToId, @Path, @Line, @CommitSha, 'someone', @Body, @CreatedAt, @DeliveryId, @UpdatedAt)
            """,
            new
            {
                item.Provider,
                Repo = RepoSlug.Normalize(item.RepoSlug),
                item.Kind,
                item.ExternalId,
                item.PrNumber,
                item.ReviewId,
                item.InReplyToId,
                item.Path,
                item.Line,
                item.CommitSha,
                item.Body,
                CreatedAt = createdAt,
                item.DeliveryId,
                UpdatedAt = updatedAt ?? DateTimeOffset.UtcNow,
            });
    }

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

    /// <summary>Stores a commit as a push would; updated_ts is the time of writing, as the shared commit store sets it.</summary>
    public static async Task SeedCommitAsync(TestDatabase db, string repo, string sha, string message)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            "INSERT INTO commits (repo_slug, sha, message, subject, source, updated_ts) VALUES (@Repo, @Sha, @Message, @Subject, 'push', @Now)",
            new { Repo = RepoSlug.Normalize(repo), Sha = sha, Message = message, Subject = message.Split('\n')[0], Now = DateTimeOffset.UtcNow });
    }

    public static async Task<long> ArtifactCountAsync(TestDatabase db, string repo)
    {
        await using var connection = await db.Connections.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM run_attribution_artifacts WHERE repo_slug = @Repo", new { Repo = RepoSlug.Normalize(repo) });
    }
}
