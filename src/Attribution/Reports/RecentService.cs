using Attribution.Common;
using Attribution.Store;

namespace Attribution.Reports;

/// <summary>
/// The newest sessions, commits and PRs (MCP <c>list_recent</c>): each list newest first, filtered by repository,
/// agent and period; commits and sessions count their links at the default threshold.
/// </summary>
public sealed class RecentService(ExploreStore explore, OutcomeListService lists, TimeProvider time)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const string DefaultSince = "7d";

    /// <summary>The lists asked for as one document (<c>sessions</c>, <c>commits</c>, <c>pullRequests</c>), or the problems with the arguments in one sentence.</summary>
    public async Task<(IReadOnlyDictionary<string, object?>? Document, string? Error)> ListAsync(
        string? kind, string? repo, string? agent, string? since, int? limit, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var what = string.IsNullOrWhiteSpace(kind) ? "all" : kind.Trim().ToLowerInvariant();
        if (what is not ("all" or "sessions" or "commits" or "prs"))
        {
            problems.Add("kind must be one of sessions, commits, prs, all.");
        }

        if (!string.IsNullOrWhiteSpace(repo) && !RepoSlug.IsValid(repo))
        {
            problems.Add("repo must be owner/name.");
        }

        var sinceText = string.IsNullOrWhiteSpace(since) ? DefaultSince : since;
        if (!Common.Since.TryParse(sinceText, time.GetUtcNow(), out var window, out var sinceError))
        {
            problems.Add("since: " + sinceError);
        }

        if (limit is < 1 or > MaxLimit)
        {
            problems.Add($"limit must be from 1 to {MaxLimit}.");
        }

        if (problems.Count > 0)
        {
            return (null, string.Join(" ", problems));
        }

        var filter = new ExploreFilter(string.IsNullOrWhiteSpace(repo) ? null : RepoSlug.Normalize(repo), string.IsNullOrWhiteSpace(agent) ? null : agent.Trim(),
            window!.From, limit ?? DefaultLimit, CommitAttributionService.DefaultMinConfidence);
        var document = new Dictionary<string, object?>();
        if (what is "all" or "sessions")
        {
            document["sessions"] = await explore.ListSessionsAsync(filter, cancellationToken);
        }

        if (what is "all" or "commits")
        {
            document["commits"] = await explore.ListCommitsAsync(filter, cancellationToken);
        }

        if (what is "all" or "prs")
        {
            // With an agent filter, read more rows and keep those linked to that agent's sessions.
            var rows = filter.Agent is null ? filter.Limit : 1000;
            var prs = await lists.ListPrOutcomesAsync(filter.Repo, null, sinceText, rows.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
            if (prs.Errors is not null)
            {
                return (null, prs.ErrorText);
            }

            var agentSessions = filter.Agent is null
                ? null
                : (await explore.ListSessionsAsync(filter with { Since = null, Limit = 100_000 }, cancellationToken)).Select(s => s.SessionId).ToHashSet(StringComparer.Ordinal);
            document["pullRequests"] = prs.Items
                .Where(p => agentSessions is null || p.LinkedSessionIds.Any(agentSessions.Contains))
                .Take(filter.Limit)
                .ToList();
        }

        return (document, null);
    }
}
