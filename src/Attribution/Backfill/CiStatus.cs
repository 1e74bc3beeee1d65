namespace Attribution.Backfill;

/// <summary>Provider CI states normalised to <c>success|failure|cancelled|in_progress|pending|skipped</c>.</summary>
public static class CiStatus
{
    /// <summary>GitHub check runs and workflow runs: <c>status</c> plus, once completed, <c>conclusion</c>.</summary>
    public static string FromGitHubCheck(string? status, string? conclusion) => status switch
    {
        "completed" => conclusion switch
        {
            "success" or "neutral" => "success",
            "cancelled" or "stale" => "cancelled",
            "skipped" => "skipped",
            _ => "failure", // failure, timed_out, action_required, startup_failure
        },
        "in_progress" => "in_progress",
        _ => "pending", // queued, requested, waiting, pending
    };

    /// <summary>GitHub commit statuses: <c>success|failure|error|pending</c>.</summary>
    public static string FromGitHubStatus(string? state) => state switch
    {
        "success" => "success",
        "failure" or "error" => "failure",
        _ => "pending",
    };

    /// <summary>GitLab pipelines and jobs.</summary>
    public static string FromGitLab(string? status) => status switch
    {
        "success" => "success",
        "failed" => "failure",
        "canceled" or "canceling" or "cancelled" => "cancelled",
        "skipped" => "skipped",
        "running" => "in_progress",
        _ => "pending", // created, waiting_for_resource, preparing, pending, scheduled, manual
    };

    public static bool IsFinal(string normalised) => normalised is "success" or "failure" or "cancelled" or "skipped";
}
