namespace Attribution.Webhooks;

/// <summary>Maps each provider's run states onto <c>success|failure|cancelled|in_progress|pending|skipped</c>.</summary>
public static class CiStatus
{
    public const string Success = "success";
    public const string Failure = "failure";
    public const string Cancelled = "cancelled";
    public const string InProgress = "in_progress";
    public const string Pending = "pending";
    public const string Skipped = "skipped";

    public static readonly IReadOnlyList<string> All = [Success, Failure, Cancelled, InProgress, Pending, Skipped];

    /// <summary>GitHub Actions runs/jobs and check runs/suites: <c>status</c> plus <c>conclusion</c> once completed.</summary>
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
        "canceled" or "cancelled" => Cancelled,
        "skipped" => Skipped,
        "running" => InProgress,
        _ => Pending, // created, waiting_for_resource, preparing, pending, scheduled, manual
    };
}
