using Attribution.Store;

namespace Attribution.Api;

/// <summary>
/// One CI status for a set of runs: the newest run of each (provider, workflow) counts; any
/// <c>failure</c> → failure; else any <c>in_progress</c>/<c>pending</c> → pending; else any
/// <c>success</c> → success; else cancelled or skipped; no runs → null.
/// </summary>
public static class CiStatusRollup
{
    public static string? Of(IEnumerable<CiRunRow> runs)
    {
        var latest = runs
            .GroupBy(r => (r.Provider, Workflow: r.WorkflowName ?? r.RunId))
            .Select(g => g.OrderByDescending(r => r.CompletedTs ?? r.StartedTs ?? r.UpdatedTs).First().Status)
            .ToList();
        if (latest.Count == 0)
        {
            return null;
        }

        if (latest.Contains("failure"))
        {
            return "failure";
        }

        if (latest.Contains("in_progress") || latest.Contains("pending"))
        {
            return "pending";
        }

        if (latest.Contains("success"))
        {
            return "success";
        }

        return latest.Contains("cancelled") ? "cancelled" : "skipped";
    }
}
