using Attribution.Store;

namespace Attribution.Api;

/// <summary>Builds the session document of CONTRACT §6 for every surface (HTTP, CLI, MCP).</summary>
public sealed class SessionAttributionService(AttributionQueryStore store, ArtifactStore artifacts, TimeProvider time)
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

        var linked = (await store.GetSessionCommitsAsync(session.SessionId, cancellationToken))
            .Where(c => c.Confidence >= minConfidence)
            .ToList();
        var commits = linked.Select(c => new SessionCommitItem(c.CommitSha, c.Subject, c.LinkType, c.Confidence)).ToList();

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
            Summary: AttributionSummaries.Session(commits, pullRequests, await LinkedCommitsCiAsync(linked, cancellationToken)));
    }

    /// <summary>The session's linked commits' CI combined (each commit rolled up on its own), as the yield report reads it.</summary>
    private async Task<string?> LinkedCommitsCiAsync(IReadOnlyList<SessionCommitRow> linked, CancellationToken cancellationToken)
    {
        var perCommit = new List<string?>();
        foreach (var repo in linked.GroupBy(c => c.RepoSlug, StringComparer.Ordinal))
        {
            var runs = await store.GetCiRunsForCommitsAsync(repo.Key, [.. repo.Select(c => c.CommitSha).Distinct(StringComparer.Ordinal)], cancellationToken);
            perCommit.AddRange(runs.GroupBy(r => r.CommitSha).Select(g => Common.CiStatus.Of(g.Select(r => r.ToState()))));
        }

        return Common.CiStatus.Combine(perCommit);
    }

    private async Task<SessionPullRequestItem> DescribeAsync(PrOutcomeRow pr, CancellationToken cancellationToken)
    {
        var mergeRuns = pr.MergeCommitSha is null ? [] : await store.GetCiRunsForCommitsAsync(pr.RepoSlug, [pr.MergeCommitSha], cancellationToken);
        var headRuns = mergeRuns.Count > 0 || pr.HeadSha is null ? [] : await store.GetCiRunsForCommitsAsync(pr.RepoSlug, [pr.HeadSha], cancellationToken);

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
            CiStatus: Common.CiStatus.OfPullRequest(mergeRuns.Select(r => r.ToState()), headRuns.Select(r => r.ToState())),
            // A revert is a touch too, so the count never shows fewer touches than reverts.
            DownstreamTouchCount: Math.Max(pr.DownstreamTouchCount, touches.Count),
            RevertCount: revertCount,
            StillGood: pr.State == "merged" ? DownstreamRules.StillGood(pr.MergedAt, touches, time.GetUtcNow()) : null);
    }
}
