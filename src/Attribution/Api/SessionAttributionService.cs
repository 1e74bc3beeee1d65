using Attribution.Store;

namespace Attribution.Api;

/// <summary>Builds the session document of CONTRACT §6 for every surface (HTTP, CLI, MCP).</summary>
public sealed class SessionAttributionService(AttributionQueryStore store, ArtifactStore artifacts, TimeProvider time)
{
    /// <summary>The longest session id accepted (ids are agent UUIDs; anything longer is not one).</summary>
    public const int MaxIdLength = 200;

    /// <summary>The document, or null when no session has that id or a unique prefix of it.</summary>
    public async Task<SessionAttributionDocument?> GetAsync(string sessionId, double minConfidence, CancellationToken cancellationToken) =>
        (await LookupAsync(sessionId, minConfidence, cancellationToken)).Document;

    /// <summary>The session named by its exact id or a unique prefix of <see cref="SessionIdMatch.MinPrefixLength"/>+ characters.</summary>
    public async Task<SessionLookup> LookupAsync(string sessionId, double minConfidence, CancellationToken cancellationToken)
    {
        var resolved = await ResolveAsync(sessionId, cancellationToken);
        return resolved.Outcome == LookupOutcome.Found
            ? SessionLookup.Found(await BuildAsync(resolved.Candidates![0].SessionId, minConfidence, cancellationToken))
            : resolved;
    }

    /// <summary>
    /// The one resolver of a session id or prefix, for every surface (API, CLI, MCP, dashboard, search): Found carries
    /// the full id as its single candidate (no document), Ambiguous lists the candidates.
    /// </summary>
    public async Task<SessionLookup> ResolveAsync(string sessionId, CancellationToken cancellationToken)
    {
        var id = sessionId?.Trim() ?? "";
        if (id.Length == 0 || id.Length > MaxIdLength)
        {
            return SessionLookup.Invalid($"a session id has 1 to {MaxIdLength} characters");
        }

        var exact = await store.GetSessionAsync(id, cancellationToken);
        if (exact is not null)
        {
            return new SessionLookup(LookupOutcome.Found, exact.SessionId, Candidates: [Candidate(exact)]);
        }

        if (!SessionIdMatch.CanBePrefix(id))
        {
            return SessionLookup.NotFound(SessionIdMatch.UnknownMessage(id));
        }

        var matches = await store.FindSessionsByPrefixAsync(id, SessionIdMatch.MaxCandidates + 1, cancellationToken);
        return matches.Count switch
        {
            0 => SessionLookup.NotFound(SessionIdMatch.UnknownMessage(id)),
            1 => new SessionLookup(LookupOutcome.Found, matches[0].SessionId, Candidates: [Candidate(matches[0])]),
            _ => SessionLookup.Ambiguous(SessionIdMatch.AmbiguousMessage(id, matches.Count),
                matches.Take(SessionIdMatch.MaxCandidates).Select(Candidate).ToList()),
        };
    }

    private static SessionCandidate Candidate(SessionRow s) => new(s.SessionId, s.Agent, s.RepoSlug, s.StartedTs, s.Title);

    private async Task<SessionAttributionDocument> BuildAsync(string sessionId, double minConfidence, CancellationToken cancellationToken)
    {
        var session = await store.GetSessionAsync(sessionId, cancellationToken)
            ?? throw new InvalidOperationException("session vanished between lookup and read");

        var commits = (await store.GetSessionCommitsAsync(session.SessionId, cancellationToken))
            .Where(c => c.Confidence >= minConfidence)
            .Select(c => new SessionCommitItem(c.CommitSha, c.Subject, c.LinkType, c.Confidence))
            .ToList();

        var pullRequests = new List<SessionPullRequestItem>();
        foreach (var pr in await store.GetSessionPullRequestsAsync(session.SessionId, cancellationToken))
        {
            pullRequests.Add(await DescribeAsync(pr, cancellationToken));
        }

        return new SessionAttributionDocument(
            SessionId: session.SessionId,
            Agent: session.Agent,
            Model: session.Model,
            Repo: session.RepoSlug,
            Branch: session.GitBranch,
            StartedAt: session.StartedTs,
            EndedAt: session.EndedTs,
            CostUsd: session.CostUsd,
            Tokens: new SessionTokens(session.InputTokens, session.OutputTokens, session.CacheWriteTokens, session.CacheReadTokens),
            Commits: commits,
            PullRequests: pullRequests,
            Feedback: (await artifacts.ListFeedbackForSessionAsync(session.SessionId, cancellationToken))
                .Select(f => new SessionFeedbackItem(f.Provider, f.RepoSlug, f.Kind, f.ExternalId, f.PrNumber, f.Path, f.Line, f.Author, f.Body, f.CreatedAt, f.Mode))
                .ToList(),
            Summary: AttributionSummaries.Session(commits, pullRequests),
            Title: session.Title);
    }

    private async Task<SessionPullRequestItem> DescribeAsync(PrOutcomeRow pr, CancellationToken cancellationToken)
    {
        // A merged PR is judged by the CI of what landed (its merge commit) when that ran; else by its head.
        var mergeRuns = pr.MergeCommitSha is null ? [] : await store.GetCiRunsForCommitsAsync(pr.RepoSlug, [pr.MergeCommitSha], cancellationToken);
        var runs = mergeRuns.Count > 0 || pr.HeadSha is null ? mergeRuns : await store.GetCiRunsForCommitsAsync(pr.RepoSlug, [pr.HeadSha], cancellationToken);

        var touches = DownstreamRules.Distinct(await store.GetTouchesAsync(pr.RepoSlug, DownstreamTargets.PrKinds, DownstreamTargets.PrKeys(pr.Provider, pr.PrNumber), cancellationToken)).ToList();
        var revertCount = touches.Count(t => t.Classification == "revert");
        if (revertCount == 0 && pr.RevertedAt is { } revertedAt)
        {
            // A merged revert PR names this one even when no touch row exists for it.
            revertCount = 1;
            touches.Add(new TouchRow { TouchSha = $"pr#{pr.RevertedByPr}", Classification = "revert", TouchedTs = revertedAt });
        }

        return new SessionPullRequestItem(
            Provider: pr.Provider,
            Repo: pr.RepoSlug,
            Number: pr.PrNumber,
            Title: pr.Title,
            State: pr.State,
            MergedAt: pr.MergedAt,
            CiStatus: CiStatusRollup.Of(runs),
            // A revert is a touch too, so the count never shows fewer touches than reverts.
            DownstreamTouchCount: Math.Max(pr.DownstreamTouchCount, touches.Count),
            RevertCount: revertCount,
            StillGood: pr.State == "merged" ? DownstreamRules.StillGood(pr.MergedAt, touches, time.GetUtcNow()) : null);
    }
}
