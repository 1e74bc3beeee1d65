using Attribution.Store;

namespace Attribution.Reports;

/// <summary>
/// The graph as the commit, session and PR pages and the search box show it, read in one place: surfaces read the
/// graph through Reports, not the store (docs/architecture.md). The queries are the documents' own
/// (<see cref="AttributionQueryStore"/>); a page may list weaker links than a document counts, each marked as such.
/// </summary>
public sealed class DetailReads(AttributionQueryStore store, BrowseStore browse, RecordedStore recorded, ArtifactStore artifacts)
{
    /// <summary>Commits whose sha is or starts with <paramref name="shaOrPrefix"/>, in every repository.</summary>
    public Task<IReadOnlyList<CommitRow>> FindCommitsAsync(string shaOrPrefix, int limit, CancellationToken cancellationToken) =>
        store.FindCommitsAsync(shaOrPrefix, null, limit, cancellationToken);

    /// <summary>What the commit page shows of one commit.</summary>
    public async Task<CommitDetail> CommitAsync(CommitRow commit, CancellationToken cancellationToken)
    {
        var (repo, sha) = (commit.RepoSlug, commit.Sha);
        return new CommitDetail(
            Files: await store.GetCommitFilesAsync(repo, sha, cancellationToken),
            Sessions: await store.GetCommitLinksAsync(repo, sha, cancellationToken),
            PullRequests: await store.GetCommitPullRequestsAsync(repo, sha, cancellationToken),
            CiRuns: await store.GetCiRunsForCommitsAsync(repo, [sha], cancellationToken),
            Touches: TouchGroups.Of(await store.GetCommitTouchesAsync(repo, sha, cancellationToken)),
            RevertedBy: [.. (await store.GetRevertsOfAsync(repo, sha, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, cancellationToken)).Select(t => t.TouchSha)],
            AiLines: await recorded.AiLinesAsync(repo, sha, cancellationToken));
    }

    /// <summary>The session stored under exactly this id, or null.</summary>
    public Task<SessionRecord?> FindSessionAsync(string id, CancellationToken cancellationToken) => store.GetSessionAsync(id, cancellationToken);

    /// <summary>What the session page shows of one session: one row per PR (the strongest link wins, direct links before links through commits).</summary>
    public async Task<SessionDetail> SessionAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        var id = session.SessionId;
        var prs = await store.GetSessionPrLinksAsync(id, cancellationToken);
        return new SessionDetail(
            Links: await store.GetSessionCommitsAsync(id, cancellationToken),
            PullRequests: [.. Strongest(prs, p => (p.Provider, p.RepoSlug, p.PrNumber)).OrderBy(p => p.RepoSlug, StringComparer.Ordinal).ThenBy(p => p.PrNumber)],
            CiRuns: await store.GetSessionCiRunsAsync(id, cancellationToken),
            Touches: TouchGroups.Of(await store.GetSessionTouchesAsync(id, cancellationToken)),
            Events: await store.GetSessionGitEventsAsync(id, cancellationToken),
            Feedback: await artifacts.ListFeedbackForSessionAsync(id, cancellationToken));
    }

    /// <summary>The PR stored under this key, or null.</summary>
    public Task<PullRequestRow?> FindPullRequestAsync(string provider, string repoSlug, int number, CancellationToken cancellationToken) =>
        store.GetPrOutcomeAsync(provider, repoSlug, number, cancellationToken);

    /// <summary>What the PR page shows of one PR: one row per linked session (the strongest link wins, direct links before links through commits).</summary>
    public async Task<PullRequestDetail> PullRequestAsync(PullRequestRow pr, CancellationToken cancellationToken) => new(
        Commits: await store.GetPrCommitsAsync(pr.Provider, pr.RepoSlug, pr.PrNumber, cancellationToken),
        Sessions: [.. Strongest(await store.GetPrSessionsAsync(pr.Provider, pr.RepoSlug, pr.PrNumber, cancellationToken), s => s.SessionId)],
        CiRuns: await store.GetPrCiRunsAsync(pr, cancellationToken),
        Touches: TouchGroups.Of(await store.GetPrTouchesAsync(pr.Provider, pr.RepoSlug, pr.PrNumber, cancellationToken)));

    /// <summary>PRs numbered <paramref name="number"/>, in one repository or all.</summary>
    public Task<IReadOnlyList<PullRequestRow>> FindPrsByNumberAsync(long number, string? repoSlug, CancellationToken cancellationToken) =>
        browse.FindPrsByNumberAsync(number, repoSlug, cancellationToken);

    /// <summary>PRs whose head branch is <paramref name="branch"/>.</summary>
    public Task<IReadOnlyList<PullRequestRow>> FindPrsByBranchAsync(string branch, CancellationToken cancellationToken) =>
        browse.FindPrsByBranchAsync(branch, cancellationToken);

    /// <summary>Sessions that worked on <paramref name="branch"/>.</summary>
    public Task<IReadOnlyList<SessionRecord>> FindSessionsByBranchAsync(string branch, CancellationToken cancellationToken) =>
        browse.FindSessionsByBranchAsync(branch, cancellationToken);

    // One PR link per key: a direct link (branch, opened) before one through a commit, then the most confident.
    private static IEnumerable<PrLinkRow> Strongest<TKey>(IEnumerable<PrLinkRow> rows, Func<PrLinkRow, TKey> key) =>
        rows.GroupBy(key).Select(g => g.OrderBy(p => p.Reason == "commit" ? 1 : 0).ThenByDescending(p => p.Confidence ?? 0).First());
}

/// <summary>The commit page's reads (<see cref="DetailReads.CommitAsync"/>).</summary>
public sealed record CommitDetail(
    IReadOnlyList<CommitFileRow> Files, IReadOnlyList<LinkRow> Sessions, IReadOnlyList<PullRequestRow> PullRequests, IReadOnlyList<CiRunRow> CiRuns,
    IReadOnlyList<TouchGroup> Touches, IReadOnlyList<string> RevertedBy, CommitAiLines? AiLines);

/// <summary>The session page's reads (<see cref="DetailReads.SessionAsync"/>).</summary>
public sealed record SessionDetail(
    IReadOnlyList<LinkRow> Links, IReadOnlyList<PrLinkRow> PullRequests, IReadOnlyList<CiRunRow> CiRuns, IReadOnlyList<TouchGroup> Touches,
    IReadOnlyList<SessionEventRecord> Events, IReadOnlyList<SessionFeedback> Feedback);

/// <summary>The PR page's reads (<see cref="DetailReads.PullRequestAsync"/>).</summary>
public sealed record PullRequestDetail(IReadOnlyList<PrCommitRow> Commits, IReadOnlyList<PrLinkRow> Sessions, IReadOnlyList<CiRunRow> CiRuns, IReadOnlyList<TouchGroup> Touches);
