using Attribution.Common;
using Attribution.Store;

namespace Attribution.Providers;

/// <summary>
/// Provider names and run ids of <c>ci_runs</c>, shared with the REST backfill so both write the same rows.
/// Run ids are unique per provider; kinds are prefixed so a job id can never collide with a run id.
/// </summary>
public static class CiRunIds
{
    public const string GitHubActions = "github-actions";
    public const string GitHubChecks = "github-checks";
    public const string GitHubStatus = "github-status";
    public const string GitLabCi = "gitlab-ci";

    /// <summary><c>github-actions</c> workflow run: <c>run:{id}</c>.</summary>
    public static string WorkflowRun(long id) => $"run:{id}";

    /// <summary><c>github-actions</c> workflow job: <c>job:{id}</c>.</summary>
    public static string WorkflowJob(long id) => $"job:{id}";

    /// <summary><c>github-checks</c> check run: <c>check_run:{id}</c>.</summary>
    public static string CheckRun(long id) => $"check_run:{id}";

    /// <summary><c>github-checks</c> check suite: <c>check_suite:{id}</c>.</summary>
    public static string CheckSuite(long id) => $"check_suite:{id}";

    /// <summary>
    /// <c>github-status</c>: one row per repository, commit and context (<c>status:{owner/name}@{sha}:{context}</c>), so a
    /// context going pending → success updates one row. Each status event has its own id, which would not.
    /// </summary>
    public static string CommitStatus(string repoSlug, string sha, string context) =>
        $"status:{RepoSlug.Normalize(repoSlug)}@{sha.ToLowerInvariant()}:{context}";

    /// <summary><c>gitlab-ci</c> pipeline: <c>pipeline:{id}</c>.</summary>
    public static string Pipeline(long id) => $"pipeline:{id}";

    /// <summary><c>gitlab-ci</c> job: <c>job:{id}</c>.</summary>
    public static string GitLabJob(long id) => $"job:{id}";
}
