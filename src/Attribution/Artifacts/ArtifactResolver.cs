using System.Globalization;
using Attribution.Hosting;
using Attribution.Store;
using Microsoft.Extensions.Options;

namespace Attribution.Artifacts;

/// <summary>
/// Resolves review feedback to the session that earned it, trying in order (CONTRACT §7): signed metadata in the
/// feedback itself, the commented commit's signed trailer, the parent comment, the owning review, the feedback's
/// own artifact, a single artifact on the same PR file or commit, a single session linked to the PR in the time
/// window; else unresolved. Signed evidence stops the walk even when it cannot be used (unknown session,
/// ambiguous PR context): guessing past it would be worse than answering unresolved.
/// </summary>
public sealed class ArtifactResolver(
    ArtifactStore store,
    IOptions<SigningOptions> signing,
    IOptions<ArtifactOptions> options,
    TimeProvider time)
{
    private static readonly string[] CommentKinds = ["issue_comment", "note"];
    private static readonly string[] ReviewCommentKinds = ["review_comment"];
    private static readonly string[] ReviewKinds = ["review"];

    public async Task<ArtifactResolution> ResolveAsync(ArtifactQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var repo = RepoSlug.Normalize(query.Repo);
        var provider = Blank(query.Provider)?.ToLowerInvariant();
        var deployment = SigningKey.From(signing.Value);
        var key = query.Workspace is { } asked ? deployment with { Workspace = AttributionMetadata.NormalizeWorkspace(asked) } : deployment;
        var notes = new List<string>();

        // The feedback itself, when a receiver stored it, gives its body and fills in missing context.
        var self = await FindSelfAsync(repo, provider, query, cancellationToken);
        var pr = query.Pr ?? self?.PrNumber;
        var path = Blank(query.Path) ?? Blank(self?.Path);
        var sha = HexOrNull(query.CommitSha) ?? HexOrNull(self?.CommitSha);
        var inReplyTo = Blank(query.InReplyToId) ?? Blank(self?.InReplyToId);
        var reviewId = Blank(query.ReviewId) ?? (self?.Kind == "review_comment" ? Blank(self.ReviewId) : null);
        var at = query.At ?? ParseTime(self?.CreatedAt) ?? time.GetUtcNow();

        // Captured artifacts and ingested sessions all belong to this deployment's workspace.
        if (!string.Equals(key.Workspace, deployment.Workspace, StringComparison.Ordinal))
        {
            notes.Add($"this deployment holds workspace '{deployment.Workspace}' only, not '{key.Workspace}'");
            return ArtifactResolution.Unresolved(string.Join("; ", notes));
        }

        if (!key.HasSecret)
        {
            notes.Add("no signing secret is configured, signed metadata cannot be verified");
        }
        else if (self is not null)
        {
            var check = AttributionMarkers.CheckBody(self.Body, key, repo, pr);
            if (check is { IsValid: true })
            {
                return await ExactAsync("direct", check.Metadata!.SpanId, "valid signed metadata in the feedback itself", cancellationToken);
            }

            if (check is not null)
            {
                notes.Add("metadata in the feedback rejected: " + check.Reason);
            }
        }

        // A whole review names the PR head it was submitted on, not a commit it comments on: the head commit's
        // session did not necessarily write what the review is about.
        var wholeReview = self?.Kind == "review"
            || (Blank(query.ReviewId) is not null && Blank(query.CommentId) is null && Blank(query.ReviewCommentId) is null);
        var commitUnsigned = false;
        if (sha is not null && !wholeReview)
        {
            var commits = await store.FindCommitsAsync(repo, sha, cancellationToken);
            var spans = commits.Select(c => c.SpanId).Distinct(StringComparer.Ordinal).ToList();
            if (spans.Count == 1)
            {
                return await ExactAsync("commit_artifact", spans[0], $"commented commit {Short(commits[0].CommitSha)} carries a signed attribution trailer", cancellationToken);
            }

            if (spans.Count > 1)
            {
                notes.Add($"commit {sha} matches {spans.Count} signed commits");
            }
            else
            {
                commitUnsigned = true;
                notes.Add($"commented commit {Short(sha)} has no signed agent attribution");
            }
        }

        if (inReplyTo is not null)
        {
            var parent = await store.FindByReviewCommentAsync(repo, provider, inReplyTo, cancellationToken)
                ?? await store.FindByCommentAsync(repo, provider, inReplyTo, cancellationToken);
            if (parent is not null)
            {
                return await ExactAsync("artifact_parent_comment", parent.SpanId, $"reply to signed {Describe(parent)}", cancellationToken);
            }

            var thread = await store.FindInThreadAsync(repo, provider, inReplyTo, cancellationToken);
            var spans = thread.Select(a => a.SpanId).Distinct(StringComparer.Ordinal).ToList();
            if (spans.Count == 1)
            {
                return await ExactAsync("artifact_parent_comment", spans[0], $"reply in thread {inReplyTo}, whose only signed comments are {Describe(thread[0])}{(thread.Count > 1 ? " and others of the same session" : "")}", cancellationToken);
            }

            if (spans.Count > 1)
            {
                notes.Add($"thread {inReplyTo} holds signed comments of {spans.Count} sessions");
            }
        }

        if (reviewId is not null)
        {
            var review = await store.FindByReviewAsync(repo, provider, reviewId, cancellationToken);
            if (review is not null)
            {
                return await ExactAsync("artifact_review", review.SpanId, $"part of signed review {reviewId}", cancellationToken);
            }
        }

        var own = Blank(query.ReviewCommentId) is { } reviewCommentId
            ? await store.FindByReviewCommentAsync(repo, provider, reviewCommentId, cancellationToken)
            : Blank(query.CommentId) is { } commentId
                ? await store.FindByCommentAsync(repo, provider, commentId, cancellationToken)
                : null;
        if (own is not null)
        {
            return await ExactAsync("artifact_comment", own.SpanId, $"the feedback is itself a signed {Describe(own)}", cancellationToken);
        }

        if (pr is > 0 && (path is not null || sha is not null))
        {
            var candidates = await store.FindPrContextAsync(repo, provider, pr.Value, path, sha, cancellationToken);
            var spans = candidates.Select(c => c.SpanId).Distinct(StringComparer.Ordinal).ToList();
            var where = path is not null ? $"PR #{pr} file {path}" : $"PR #{pr} commit {Short(sha!)}";
            if (spans.Count == 1)
            {
                return await ExactAsync("artifact_pr_context", spans[0], $"the only signed artifact on {where}", cancellationToken);
            }

            if (spans.Count > 1)
            {
                return ArtifactResolution.Unresolved($"ambiguous: {spans.Count} candidates (signed artifacts of different sessions on {where})");
            }
        }

        if (commitUnsigned)
        {
            // As in the agents project: feedback on a specific commit is not guessed from the PR's sessions.
            return ArtifactResolution.Unresolved(Join(notes, "not inferring from the PR"));
        }

        if (pr is not > 0)
        {
            return ArtifactResolution.Unresolved(Join(notes, "no artifact ancestry and no PR number to infer from"));
        }

        return await InferAsync(repo, provider, pr.Value, at, notes, cancellationToken);
    }

    private async Task<ArtifactResolution> InferAsync(string repo, string? provider, long pr, DateTimeOffset at, List<string> notes, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var window = TimeSpan.FromHours(settings.InferenceWindowHours);
        var internalAgents = settings.EffectiveInternalAgents;
        var linked = await store.FindSessionsLinkedToPrAsync(repo, provider, pr, cancellationToken);
        var signedNames = await store.FindSignedAgentNamesAsync(linked.Select(s => s.SessionId).ToList(), cancellationToken);
        var candidates = linked
            .Where(s => !internalAgents.Contains(s.Agent) && !signedNames[s.SessionId].Any(internalAgents.Contains))
            .Where(s => s.StartedTs is { } start && start - window <= at && (s.EndedTs ?? start) + window >= at)
            .ToList();
        var hours = settings.InferenceWindowHours.ToString(CultureInfo.InvariantCulture);
        return candidates.Count switch
        {
            1 => ArtifactResolution.Inferred(candidates[0].SessionId, Join(notes, $"the only session linked to PR #{pr} within ±{hours} h")),
            0 => ArtifactResolution.Unresolved(Join(notes, $"no session linked to PR #{pr} within ±{hours} h")),
            _ => ArtifactResolution.Unresolved(Join(notes, $"ambiguous: {candidates.Count} candidates (sessions linked to PR #{pr} within ±{hours} h)")),
        };
    }

    private async Task<ArtifactResolution> ExactAsync(string mode, string sessionId, string diagnostic, CancellationToken cancellationToken)
    {
        var session = await store.FindSessionAsync(sessionId, cancellationToken);
        return session is null
            ? ArtifactResolution.Unresolved($"artifact points to unknown session {sessionId} (found by {mode})")
            : ArtifactResolution.Exact(mode, session.SessionId, diagnostic);
    }

    private async Task<FeedbackRow?> FindSelfAsync(string repo, string? provider, ArtifactQuery query, CancellationToken cancellationToken)
    {
        if (Blank(query.ReviewCommentId) is { } reviewCommentId)
        {
            return await store.FindFeedbackAsync(repo, provider, ReviewCommentKinds, reviewCommentId, cancellationToken);
        }

        if (Blank(query.CommentId) is { } commentId)
        {
            return await store.FindFeedbackAsync(repo, provider, CommentKinds, commentId, cancellationToken);
        }

        return Blank(query.ReviewId) is { } reviewId
            ? await store.FindFeedbackAsync(repo, provider, ReviewKinds, reviewId, cancellationToken)
            : null;
    }

    private static string Describe(ArtifactRecord artifact) => artifact.Kind switch
    {
        "review_comment" => $"review comment {artifact.ReviewCommentId}",
        "review" => $"review {artifact.ReviewId}",
        "note" => $"note {artifact.CommentId}",
        _ => $"comment {artifact.CommentId}",
    };

    private static string Join(List<string> notes, string last) => notes.Count == 0 ? last : string.Join("; ", notes) + "; " + last;

    private static string Short(string? sha) => sha is { Length: > 12 } ? sha[..12] : sha ?? "";

    // A stored sha is only used when it is hex: it becomes a LIKE prefix.
    private static string? HexOrNull(string? value) =>
        Blank(value)?.ToLowerInvariant() is { Length: >= 7 and <= 64 } sha && sha.All(char.IsAsciiHexDigitLower) ? sha : null;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static DateTimeOffset? ParseTime(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) ? parsed : null;
}
