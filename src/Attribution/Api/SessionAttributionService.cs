using Attribution.Linking.Outcomes;
using Attribution.Reports;
using Attribution.Store;

namespace Attribution.Api;

/// <summary>Builds the session document of CONTRACT §6 for every surface (HTTP, CLI, MCP).</summary>
public sealed class SessionAttributionService(AttributionQueryStore store, ArtifactStore artifacts, PullRequestOutcomes outcomes, Yield.YieldService yields)
{
    /// <summary>The longest session id accepted (ids are agent UUIDs; anything longer is not one).</summary>
    public const int MaxIdLength = 200;

    /// <summary>The document, or null when no such session is known.</summary>
    public async Task<SessionAttributionDocument?> GetAsync(string sessionId, double minConfidence, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(sessionId) || sessionId.Length > MaxIdLength)
        {
            return null;
        }

        var session = await store.GetSessionAsync(sessionId.Trim(), cancellationToken);
        if (session is null)
        {
            return null;
        }

        var commits = (await store.GetSessionCommitsAsync(session.SessionId, cancellationToken))
            .Where(c => c.Confidence >= minConfidence)
            .Select(c => new SessionCommitItem(c.CommitSha, c.Subject, c.LinkType, c.Confidence))
            .ToList();

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
            Summary: AttributionSummaries.Session(commits, pullRequests),
            Outcome: outcome);
    }

    private async Task<SessionPullRequestItem> DescribeAsync(PrOutcomeRow pr, CancellationToken cancellationToken)
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
