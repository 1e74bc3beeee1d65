using Attribution.Common;
using Attribution.Hosting;
using Attribution.Store;
using Microsoft.Extensions.Options;

namespace Attribution.Artifacts;

/// <summary>
/// Puts signed artifacts into the reverse index: feedback items (comments, reviews, review comments, notes) whose
/// body carries a valid <c>agents-run</c> marker, and commits with a valid <c>Agents-Attribution</c> trailer.
/// Invalid or foreign metadata is never indexed; the reason goes to the log and to the delivery's row.
/// </summary>
public sealed class ArtifactCapture(ArtifactStore store, IOptions<SigningOptions> signing, ILogger<ArtifactCapture> logger)
{
    private static readonly HashSet<string> FeedbackKinds = new(StringComparer.Ordinal) { "issue_comment", "review", "review_comment", "note" };

    private SigningKey Key => SigningKey.From(signing.Value);

    public async Task<CaptureResult> CaptureFeedbackAsync(FeedbackRecord item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var kind = item.Kind.Trim().ToLowerInvariant();
        if (!FeedbackKinds.Contains(kind))
        {
            throw new ArgumentException($"Unknown feedback kind '{item.Kind}'.", nameof(item));
        }

        if (!RepoSlug.IsValid(item.RepoSlug) || string.IsNullOrWhiteSpace(item.ExternalId))
        {
            throw new ArgumentException("A feedback item needs a repository slug and an id.", nameof(item));
        }

        var repo = RepoSlug.Normalize(item.RepoSlug);
        var check = AttributionMarkers.CheckBody(item.Body, Key, repo, item.PrNumber);
        if (check is null)
        {
            return new CaptureResult(CaptureOutcome.NoMetadata, null, null);
        }

        var externalId = item.ExternalId.Trim();
        if (!check.IsValid)
        {
            ArtifactLog.Rejected(logger, kind, externalId, repo, item.DeliveryId, check.Reason);
            if (!string.IsNullOrWhiteSpace(item.DeliveryId))
            {
                await store.RecordRejectionAsync(item.DeliveryId, check.Reason, cancellationToken);
            }

            return new CaptureResult(CaptureOutcome.Rejected, null, check.Reason);
        }

        var metadata = check.Metadata!;
        var artifact = new ArtifactRecord
        {
            Provider = item.Provider.Trim().ToLowerInvariant(),
            RepoSlug = repo,
            Kind = kind,
            CommentId = kind is "issue_comment" or "note" ? externalId : null,
            ReviewId = kind == "review" ? externalId : Blank(item.ReviewId),
            ReviewCommentId = kind == "review_comment" ? externalId : null,
            ParentCommentId = Blank(item.InReplyToId),
            PrNumber = item.PrNumber is > 0 ? item.PrNumber : null,
            FilePath = Blank(item.Path),
            Line = item.Line,
            CommitSha = Blank(item.CommitSha)?.ToLowerInvariant(),
            SpanId = metadata.SpanId,
            AgentName = Blank(metadata.AgentName),
            InstanceId = metadata.InstanceId,
            MetadataJson = AttributionJson.Serialize(metadata),
            DeliveryId = Blank(item.DeliveryId),
        };
        return await StoreAsync(artifact, externalId, cancellationToken);
    }

    /// <summary>Indexes a commit of <paramref name="repo"/> whose message carries a valid attribution trailer.</summary>
    public async Task<CaptureResult> CaptureCommitAsync(string repo, string sha, string? message, CancellationToken cancellationToken)
    {
        if (!RepoSlug.IsValid(repo))
        {
            throw new ArgumentException("A commit needs a repository slug.", nameof(repo));
        }

        var normalizedSha = sha.Trim().ToLowerInvariant();
        if (normalizedSha.Length is < 7 or > 64 || !normalizedSha.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("A commit sha is 7 to 64 hex digits.", nameof(sha));
        }

        var slug = RepoSlug.Normalize(repo);
        var check = AttributionMarkers.CheckMessage(message, Key, slug);
        if (check is null)
        {
            return new CaptureResult(CaptureOutcome.NoMetadata, null, null);
        }

        if (!check.IsValid)
        {
            ArtifactLog.Rejected(logger, "commit", normalizedSha, slug, null, check.Reason);
            return new CaptureResult(CaptureOutcome.Rejected, null, check.Reason);
        }

        var metadata = check.Metadata!;
        var artifact = new ArtifactRecord
        {
            Provider = "git",
            RepoSlug = slug,
            Kind = "commit",
            // The metadata's number is the run's issue or PR, not necessarily the PR holding this commit.
            CommitSha = normalizedSha,
            SpanId = metadata.SpanId,
            AgentName = Blank(metadata.AgentName),
            InstanceId = metadata.InstanceId,
            MetadataJson = AttributionJson.Serialize(metadata),
        };
        return await StoreAsync(artifact, normalizedSha, cancellationToken);
    }

    private async Task<CaptureResult> StoreAsync(ArtifactRecord artifact, string artifactId, CancellationToken cancellationToken)
    {
        if (!await store.InsertAsync(artifact, cancellationToken))
        {
            return new CaptureResult(CaptureOutcome.Duplicate, artifact.SpanId, null);
        }

        ArtifactLog.Captured(logger, artifact.Kind, artifactId, artifact.RepoSlug, artifact.SpanId);
        return new CaptureResult(CaptureOutcome.Captured, artifact.SpanId, null);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
