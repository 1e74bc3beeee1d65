using Attribution.Common;
using Dapper;

namespace Attribution.Store;

/// <summary>PR review feedback (<c>pr_feedback</c>): first write wins per (provider, repo, kind, external id).</summary>
public sealed class FeedbackStore(IDbConnectionFactory connections, TimeProvider time)
{
    private const string InsertSql = """
        INSERT INTO pr_feedback (provider, repo_slug, kind, external_id, pr_number, review_id, in_reply_to_id, path, line, commit_sha,
                                 author, body, created_at, delivery_id, updated_ts)
        VALUES (@Provider, @RepoSlug, @Kind, @ExternalId, @PrNumber, @ReviewId, @InReplyToId, @Path, @Line, @CommitSha,
                @Author, @Body, @CreatedAt, @DeliveryId, @Now)
        ON CONFLICT (provider, repo_slug, kind, external_id) DO NOTHING
        """;

    /// <summary>Stores feedback unless that artifact is already stored; true when it was new.</summary>
    public async Task<bool> InsertAsync(UnitOfWork unit, FeedbackRecord feedback, CancellationToken cancellationToken)
    {
        var rows = await unit.Connection.ExecuteAsync(new CommandDefinition(InsertSql, new
        {
            feedback.Provider,
            RepoSlug = RepoSlug.Normalize(feedback.RepoSlug),
            feedback.Kind,
            feedback.ExternalId,
            feedback.PrNumber,
            feedback.ReviewId,
            feedback.InReplyToId,
            feedback.Path,
            feedback.Line,
            CommitSha = string.IsNullOrEmpty(feedback.CommitSha) ? null : feedback.CommitSha.ToLowerInvariant(),
            feedback.Author,
            feedback.Body,
            feedback.CreatedAt,
            feedback.DeliveryId,
            Now = time.GetUtcNow(),
        }, unit.Transaction, cancellationToken: cancellationToken));
        return rows > 0;
    }

    /// <summary>Stores feedback in its own transaction; true when it was new.</summary>
    public async Task<bool> InsertAsync(FeedbackRecord feedback, CancellationToken cancellationToken)
    {
        await using var unit = await connections.BeginAsync(cancellationToken);
        var inserted = await InsertAsync(unit, feedback, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return inserted;
    }
}
