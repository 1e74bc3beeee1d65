using Attribution.Linking.Outcomes;
using Attribution.Reports;
using Attribution.Store;

namespace Attribution.Reports;

/// <summary>Builds the session document of CONTRACT §6 for every surface (HTTP, CLI, MCP).</summary>
public sealed class SessionAttributionService(AttributionQueryStore store, ArtifactStore artifacts, PullRequestOutcomes outcomes, Yield.YieldService yields, DownstreamStore? downstream = null)
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

    private static SessionCandidate Candidate(SessionRecord s) => new(s.SessionId, s.Agent, s.RepoSlug, s.StartedTs, s.Title);

    private async Task<SessionAttributionDocument> BuildAsync(string sessionId, double minConfidence, CancellationToken cancellationToken)
    {
        var session = await store.GetSessionAsync(sessionId, cancellationToken)
            ?? throw new InvalidOperationException("session vanished between lookup and read");

        var linked = (await store.GetSessionCommitsAsync(session.SessionId, cancellationToken))
            .Where(c => c.Confidence >= minConfidence)
            .ToList();
        var commits = linked.Select(c => new SessionCommitItem(c.CommitSha, c.Subject, c.LinkType, c.Confidence)).ToList();

        var pullRequests = new List<SessionPullRequestItem>();
        foreach (var pr in await store.GetSessionPullRequestsAsync(session.SessionId, cancellationToken))
        {
            pullRequests.Add(await DescribeAsync(pr, cancellationToken));
        }

        // The session's figures come from the one session read path (the /api/yield row), at the same threshold.
        var row = await yields.GetSessionAsync(session.SessionId, Verdicts.StillGoodDays, minConfidence, cancellationToken);
        var outcome = row is null ? null : new SessionOutcomeItem(row.Outcome, row.CiStatus, row.DownstreamTouches, row.StillGood, Verdicts.StillGoodDays);
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
            Summary: AttributionSummaries.Session(commits, pullRequests, outcome),
            Outcome: outcome,
            Downstream: await LinesAsync(session.RepoSlug, commits, cancellationToken),
            Title: session.Title,
            ParentSessionId: session.ParentSessionId);
    }

    /// <summary>The line figures of the session's shown commits, summed; null when none has them.</summary>
    private async Task<SessionDownstreamDocument?> LinesAsync(string? repo, IReadOnlyList<SessionCommitItem> commits, CancellationToken cancellationToken)
    {
        if (downstream is null || repo is null || commits.Count == 0)
        {
            return null;
        }

        var keys = commits.Select(c => c.Sha.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var outcomes = await downstream.LineOutcomesAsync(repo, Linking.DownstreamCalculator.CommitTarget, keys, cancellationToken);
        if (outcomes.Count == 0)
        {
            return null;
        }

        var touches = await downstream.TouchesOfAsync(repo, Linking.DownstreamCalculator.CommitTarget, keys, cancellationToken);
        var figures = Linking.LineSurvival.Of(outcomes);
        return new SessionDownstreamDocument(
            CommitsMeasured: figures.Targets,
            LinesWritten: figures.LinesWritten,
            LinesAtHead: figures.LinesAtHead,
            LinesAfter14d: figures.LinesAfter14d,
            LinesAfter30d: figures.LinesAfter30d,
            SurvivalAtHead: figures.AtHead,
            Survival14d: figures.After14d,
            Survival30d: figures.After30d,
            LinesRewrittenByOthers: figures.LinesRewrittenByOthers,
            // A later commit fixing or reverting two of the session's commits is one fix or revert of the session.
            FixCount: touches.Where(t => t.Classification == Verdicts.Fix).Select(t => t.TouchSha).Distinct(StringComparer.Ordinal).Count(),
            RevertCount: touches.Where(t => t.Classification == Verdicts.Revert).Select(t => t.TouchSha).Distinct(StringComparer.Ordinal).Count());
    }

    private async Task<SessionPullRequestItem> DescribeAsync(PullRequestRow pr, CancellationToken cancellationToken)
    {
        var figures = await outcomes.OfAsync(pr, Verdicts.StillGoodDays, cancellationToken);
        return new SessionPullRequestItem(
            Provider: pr.Provider,
            Repo: pr.RepoSlug,
            Number: pr.PrNumber,
            Title: pr.Title,
            State: pr.State,
            MergedAt: pr.MergedAt,
            CiStatus: figures.CiStatus,
            DownstreamTouchCount: figures.TouchCount,
            RevertCount: figures.RevertCount,
            StillGood: figures.StillGood);
    }
}
