namespace Attribution.Common;

/// <summary>
/// The one owner of CI status: how each provider's run states map onto
/// <c>success|failure|cancelled|in_progress|pending|skipped</c>, the rank every <c>ci_runs</c> write keeps
/// (a later, less final state never replaces a final one), and the roll-up of several runs into the CI
/// outcome of a commit, a pull request or a session. Webhooks, REST backfill and every surface use it.
/// </summary>
public static class CiStatus
{
    public const string Success = "success";
    public const string Failure = "failure";
    public const string Cancelled = "cancelled";
    public const string InProgress = "in_progress";
    public const string Pending = "pending";
    public const string Skipped = "skipped";

    public static readonly IReadOnlyList<string> All = [Success, Failure, Cancelled, InProgress, Pending, Skipped];

    /// <summary>
    /// GitHub Actions workflow runs and jobs, check runs and check suites: <c>status</c> plus <c>conclusion</c> once completed.
    /// </summary>
    /// <remarks>
    /// <c>neutral</c> is <see cref="Skipped"/>: GitHub documents it as a completed check that neither passed nor failed
    /// (and lets it satisfy a required check, as it does <c>skipped</c>). Counting it as a success would claim a
    /// verification that did not happen; as a failure it would blame work nothing found wrong. Skipped keeps it out
    /// of pass and fail alike, and the roll-up lets it block nothing.
    /// </remarks>
    public static string FromGitHub(string? status, string? conclusion) => status switch
    {
        "completed" => conclusion switch
        {
            "success" => Success,
            "cancelled" or "stale" => Cancelled,
            "skipped" or "neutral" => Skipped,
            null => Pending, // GitHub sometimes sends completed before the conclusion is known
            _ => Failure, // failure, timed_out, action_required, startup_failure
        },
        "in_progress" => InProgress,
        _ => Pending, // queued, requested, waiting, pending
    };

    /// <summary>GitHub commit statuses: <c>pending|success|failure|error</c>.</summary>
    public static string FromGitHubState(string? state) => state switch
    {
        "success" => Success,
        "failure" or "error" => Failure,
        _ => Pending,
    };

    /// <summary>GitLab pipelines and jobs.</summary>
    public static string FromGitLab(string? status) => status switch
    {
        "success" => Success,
        "failed" => Failure,
        "canceled" or "canceling" or "cancelled" => Cancelled,
        "skipped" => Skipped,
        "running" => InProgress,
        _ => Pending, // created, waiting_for_resource, preparing, pending, scheduled, manual
    };

    /// <summary>Whether the run has finished (success, failure, cancelled or skipped).</summary>
    public static bool IsFinal(string status) => Rank(status) == FinalRank;

    /// <summary>The rank of <see cref="IsFinal"/> states.</summary>
    public const int FinalRank = 2;

    /// <summary>
    /// How far a run has got: pending 0, in_progress 1, finished 2. Stored as <c>ci_runs.status_rank</c> by every write;
    /// within one attempt a write of a lower rank never replaces a higher one (a replayed <c>in_progress</c> delivery
    /// leaves a stored success alone).
    /// </summary>
    public static int Rank(string status) => status switch
    {
        Pending => 0,
        InProgress => 1,
        _ => FinalRank,
    };

    /// <summary>
    /// The CI outcome of a set of runs (of one commit, or of several): only the newest run of each
    /// (provider, workflow) counts, so a passing re-run replaces the failure before it; then <see cref="Combine"/>.
    /// Null when there are no runs.
    /// </summary>
    public static string? Of(IEnumerable<CiRunState> runs) => Combine(runs
        .GroupBy(r => (r.Provider, Workflow: r.WorkflowName ?? r.RunId))
        .Select(g => g.OrderByDescending(r => r.At).ThenByDescending(r => Rank(r.Status)).First().Status));

    /// <summary>
    /// Whether a commit passed CI on its first try: the oldest finished run (success or failure) of each (provider,
    /// workflow) succeeded at its first attempt. Cancelled and skipped runs judge nothing. A run GitHub re-ran keeps its
    /// id and is stored as its latest attempt: a success at attempt 2 or later means an earlier attempt did not pass.
    /// Null when no run passed or failed.
    /// </summary>
    public static bool? FirstPass(IEnumerable<CiRunState> runs)
    {
        var firsts = runs
            .Where(r => r.Status is Success or Failure)
            .GroupBy(r => (r.Provider, Workflow: r.WorkflowName ?? r.RunId))
            .Select(g => g.OrderBy(r => r.At ?? DateTimeOffset.MaxValue).ThenBy(r => r.RunId, StringComparer.Ordinal).First())
            .ToList();
        return firsts.Count == 0 ? null : firsts.All(r => r.Status == Success && r.Attempt <= 1);
    }

    /// <summary>
    /// A pull request is judged by the CI of what landed (its merge commit) when that ran, else by its head commit.
    /// </summary>
    public static string? OfPullRequest(IEnumerable<CiRunState> mergeCommitRuns, IEnumerable<CiRunState> headRuns) =>
        Of(mergeCommitRuns) ?? Of(headRuns);

    /// <summary>
    /// A session's CI: its pull requests' outcomes combined; when none of them has CI known (or it has no PR), the
    /// outcomes of its linked commits combined (work that landed without a PR, or PRs whose commits only ran CI).
    /// </summary>
    public static string? OfSession(IEnumerable<string?> pullRequests, IEnumerable<string?> linkedCommits) =>
        Combine(pullRequests) ?? Combine(linkedCommits);

    /// <summary>
    /// One outcome over several statuses (runs' or already combined ones): any failure → failure; else anything
    /// not finished (pending, in_progress) → pending; else any success → success; else cancelled if any; else skipped.
    /// Nulls are ignored; null when nothing is left.
    /// </summary>
    public static string? Combine(IEnumerable<string?> statuses)
    {
        var known = statuses.OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (known.Count == 0)
        {
            return null;
        }

        return known.Contains(Failure) ? Failure
            : known.Contains(Pending) || known.Contains(InProgress) ? Pending
            : known.Contains(Success) ? Success
            : known.Contains(Cancelled) ? Cancelled
            : Skipped;
    }
}
