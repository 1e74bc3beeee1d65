using Attribution.Store;

namespace Attribution.Reports;

/// <summary>
/// What the <c>/sessions</c>, <c>/commits</c> and <c>/prs</c> lists read of the graph (filtered, paged, newest first),
/// and the values their filters offer: surfaces read the graph through Reports, not the store (docs/architecture.md).
/// </summary>
public sealed class ListReads(BrowseStore browse)
{
    public Task<IReadOnlyList<BrowseSessionRow>> SessionsAsync(BrowseFilter filter, CancellationToken cancellationToken) => browse.ListSessionsAsync(filter, cancellationToken);

    public Task<IReadOnlyList<BrowseCommitRow>> CommitsAsync(BrowseFilter filter, CancellationToken cancellationToken) => browse.ListCommitsAsync(filter, cancellationToken);

    public Task<IReadOnlyList<PullRequestRow>> PullRequestsAsync(BrowseFilter filter, CancellationToken cancellationToken) => browse.ListPrsAsync(filter, cancellationToken);

    /// <summary>The repositories, agents and models a filter can name.</summary>
    public Task<ILookup<string, string>> FacetsAsync(CancellationToken cancellationToken) => browse.GetFacetsAsync(cancellationToken);
}
