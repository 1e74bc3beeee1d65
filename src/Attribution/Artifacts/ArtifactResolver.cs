using System.Globalization;
using Attribution.Common;
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

        // Captured artifacts and ingested sessions all belong to this deployment's workspace.
        if (!string.Equals(key.Workspace, deployment.Workspace, StringComparison.Ordinal))
        {
            return ArtifactResolution.Unresolved($"this deployment holds workspace '{deployment.Workspace}' only, not '{key.Workspace}'");
        }

        // The feedback itself, when a receiver stored it, gives its body and fills in missing context.
        var self = await FindSelfAsync(repo, provider, query, cancellationToken);
        var context = new Lookup(query, repo, provider, key, self)
        {
            Pr = query.Pr ?? self?.PrNumber,
            Path = Blank(query.Path) ?? Blank(self?.Path),
            Sha = HexOrNull(query.CommitSha) ?? HexOrNull(self?.CommitSha),
            At = query.At ?? self?.CreatedAt ?? time.GetUtcNow(),
        };

        // Exact answers first, from the strongest evidence to the weakest; each step may leave a note.
        var exact = await FromSelfAsync(context, cancellationToken)
            ?? await FromCommitAsync(context, cancellationToken)
            ?? await FromReplyAsync(context, cancellationToken)
            ?? await FromReviewAsync(context, cancellationToken)
            ?? await FromOwnArtifactAsync(context, cancellationToken)
            ?? await FromPrContextAsync(context, cancellationToken);
        if (exact is not null)
        {
            return exact;
        }

        if (context.CommitUnsigned)
        {
            // As in the agents project: feedback on a specific commit is not guessed from the PR's sessions.
            return ArtifactResolution.Unresolved(Join(context.Notes, "not inferring from the PR"));
        }

        if (context.Pr is not > 0)
        {
            return ArtifactResolution.Unresolved(Join(context.Notes, "no artifact ancestry and no PR number to infer from"));
        }

        return await InferAsync(repo, provider, context.Pr.Value, context.At, context.Notes, cancellationToken);
    }

    /// <summary>What one resolution knows about the feedback, and the notes explaining what did not match.</summary>
    private sealed class Lookup(ArtifactQuery query, string repo, string? provider, SigningKey key, FeedbackRecord? self)
    {
        public ArtifactQuery Query { get; } = query;
        public string Repo { get; } = repo;
        public string? Provider { get; } = provider;
        public SigningKey Key { get; } = key;
        public FeedbackRecord? Self { get; } = self;
        public long? Pr { get; init; }
        public string? Path { get; init; }
        public string? Sha { get; init; }
        public DateTimeOffset At { get; init; }
        public List<string> Notes { get; } = [];

        /// <summary>The feedback is on a commit that carries no signed attribution.</summary>
        public bool CommitUnsigned { get; set; }
    }

    private async Task<ArtifactResolution?> FromSelfAsync(Lookup context, CancellationToken cancellationToken)
    {
        if (!context.Key.HasSecret)
        {
            context.Notes.Add("no signing secret is configured, signed metadata cannot be verified");
            return null;
        }

        if (context.Self is null)
        {
            return null;
        }

        var check = AttributionMarkers.CheckBody(context.Self.Body, context.Key, context.Repo, context.Pr);
        if (check is { IsValid: true })
        {
            return await ExactAsync("direct", check.Metadata!.SpanId, "valid signed metadata in the feedback itself", cancellationToken);
        }

        if (check is not null)
        {
            context.Notes.Add("metadata in the feedback rejected: " + check.Reason);
        }

        return null;
    }

    private async Task<ArtifactResolution?> FromCommitAsync(Lookup context, CancellationToken cancellationToken)
    {
        // A whole review names the PR head it was submitted on, not a commit it comments on: the head commit's
        // session did not necessarily write what the review is about.
        var query = context.Query;
        var wholeReview = context.Self?.Kind == "review"
            || (Blank(query.ReviewId) is not null && Blank(query.CommentId) is null && Blank(query.ReviewCommentId) is null);
        if (context.Sha is not { } sha || wholeReview)
        {
            return null;
        }

        var commits = await store.FindCommitsAsync(context.Repo, sha, cancellationToken);
        var spans = commits.Select(c => c.SpanId).Distinct(StringComparer.Ordinal).ToList();
        if (spans.Count == 1)
        {
            return await ExactAsync("commit_artifact", spans[0], $"commented commit {Short(commits[0].CommitSha)} carries a signed attribution trailer", cancellationToken);
        }

        if (spans.Count > 1)
        {
            context.Notes.Add($"commit {sha} matches {spans.Count} signed commits");
        }
        else
        {
            context.CommitUnsigned = true;
            context.Notes.Add($"commented commit {Short(sha)} has no signed agent attribution");
        }

        return null;
    }

    private async Task<ArtifactResolution?> FromReplyAsync(Lookup context, CancellationToken cancellationToken)
    {
        if ((Blank(context.Query.InReplyToId) ?? Blank(context.Self?.InReplyToId)) is not { } inReplyTo)
        {
            return null;
        }

        var (repo, provider) = (context.Repo, context.Provider);
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
            context.Notes.Add($"thread {inReplyTo} holds signed comments of {spans.Count} sessions");
        }

        return null;
    }

    private async Task<ArtifactResolution?> FromReviewAsync(Lookup context, CancellationToken cancellationToken)
    {
        var reviewId = Blank(context.Query.ReviewId) ?? (context.Self?.Kind == "review_comment" ? Blank(context.Self.ReviewId) : null);
        if (reviewId is null)
        {
            return null;
        }

        var review = await store.FindByReviewAsync(context.Repo, context.Provider, reviewId, cancellationToken);
        return review is null ? null : await ExactAsync("artifact_review", review.SpanId, $"part of signed review {reviewId}", cancellationToken);
    }

    private async Task<ArtifactResolution?> FromOwnArtifactAsync(Lookup context, CancellationToken cancellationToken)
    {
        var own = Blank(context.Query.ReviewCommentId) is { } reviewCommentId
            ? await store.FindByReviewCommentAsync(context.Repo, context.Provider, reviewCommentId, cancellationToken)
            : Blank(context.Query.CommentId) is { } commentId
                ? await store.FindByCommentAsync(context.Repo, context.Provider, commentId, cancellationToken)
                : null;
        return own is null ? null : await ExactAsync("artifact_comment", own.SpanId, $"the feedback is itself a signed {Describe(own)}", cancellationToken);
    }

    private async Task<ArtifactResolution?> FromPrContextAsync(Lookup context, CancellationToken cancellationToken)
    {
        var (pr, path, sha) = (context.Pr, context.Path, context.Sha);
        if (pr is not > 0 || (path is null && sha is null))
        {
            return null;
        }

        var candidates = await store.FindPrContextAsync(context.Repo, context.Provider, pr.Value, path, sha, cancellationToken);
        var spans = candidates.Select(c => c.SpanId).Distinct(StringComparer.Ordinal).ToList();
        var where = path is not null ? $"PR #{pr} file {path}" : $"PR #{pr} commit {Short(sha!)}";
        return spans.Count switch
        {
            1 => await ExactAsync("artifact_pr_context", spans[0], $"the only signed artifact on {where}", cancellationToken),
            > 1 => ArtifactResolution.Unresolved($"ambiguous: {spans.Count} candidates (signed artifacts of different sessions on {where})"),
            _ => null,
        };
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

    private async Task<FeedbackRecord?> FindSelfAsync(string repo, string? provider, ArtifactQuery query, CancellationToken cancellationToken)
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
}
