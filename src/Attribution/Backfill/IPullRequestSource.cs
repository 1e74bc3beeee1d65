using Attribution.Providers;
using Attribution.Store;

namespace Attribution.Backfill;

/// <summary>One provider's REST API as the runner needs it: pages of PRs (newest update first), their commits and CI.</summary>
public interface IPullRequestSource
{
    /// <summary><c>github</c> or <c>gitlab</c>.</summary>
    string Provider { get; }

    /// <summary>The repository or project path as given (display form).</summary>
    string Repository { get; }

    /// <summary>The PRs a merged PR reverts, as its provider marks them (GitHub: <c>Reverts owner/repo#N</c>; GitLab: none).</summary>
    IReadOnlyList<RevertTarget> Reverts(PullRequestRow mergedPullRequest);

    Task<PullRequestPage> GetPageAsync(int page, DateTimeOffset? since, CancellationToken cancellationToken);

    Task<IReadOnlyList<CommitRecord>> GetCommitsAsync(PullRequestRow pullRequest, CancellationToken cancellationToken);

    /// <summary>CI of the head commit and, when merged, the merge commit.</summary>
    Task<IReadOnlyList<CiRunRow>> GetCiRunsAsync(PullRequestRow pullRequest, CancellationToken cancellationToken);
}

/// <summary>A page of PRs sorted by <c>updated_at</c> descending and the next page number (null on the last page).</summary>
public sealed record PullRequestPage(IReadOnlyList<PullRequestRow> Items, int? NextPage);
