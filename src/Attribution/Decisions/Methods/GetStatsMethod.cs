using System.Globalization;
using Attribution.Decisions.Rpc;
using Attribution.Store;

namespace Attribution.Decisions.Methods;

/// <summary>
/// <c>cstp.getStats</c> (CSTP F050, the dashboard's overview): counts of the decisions in a date range and project.
/// Params <c>dateFrom</c>, <c>dateTo</c>, <c>project</c> → <c>total</c>, <c>byCategory</c>, <c>byStakes</c>,
/// <c>byStatus</c> (pending|reviewed), <c>byAgent</c> (objects of counts), <c>byDay</c> (<c>[{date, count}]</c>, oldest
/// first), <c>topTags</c> (always empty: tags are not stored), <c>recentActivity</c> (the 10 newest decisions), and
/// <c>totalDecisions</c>/<c>reviewedDecisions</c> as in CSTP's walkthrough.
/// </summary>
public sealed class GetStatsMethod(DecisionStore store) : IJsonRpcMethod
{
    public const int RecentCount = 10;

    public string Name => "cstp.getStats";

    public async Task<object> InvokeAsync(RpcParams parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var decisions = await store.QueryAsync(DecisionFields.DashboardFilter(parameters), cancellationToken);

        static Dictionary<string, int> Count(IEnumerable<string?> keys) => keys
            .GroupBy(k => k ?? "unknown", StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        var reviewed = decisions.Count(d => d.Outcome is not null);
        return new Dictionary<string, object?>
        {
            ["total"] = decisions.Count,
            ["totalDecisions"] = decisions.Count,
            ["reviewedDecisions"] = reviewed,
            ["byCategory"] = Count(decisions.Select(d => d.Category)),
            ["byStakes"] = Count(decisions.Select(d => d.Stakes)),
            ["byStatus"] = new Dictionary<string, int> { ["pending"] = decisions.Count - reviewed, ["reviewed"] = reviewed },
            ["byAgent"] = Count(decisions.Select(d => d.Agent)),
            ["byDay"] = decisions
                .GroupBy(d => d.CreatedTs.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new Dictionary<string, object?> { ["date"] = g.Key, ["count"] = g.Count() })
                .ToList(),
            ["topTags"] = Array.Empty<object>(),
            ["recentActivity"] = decisions.Take(RecentCount).Select(DecisionFields.ToJson).ToList(),
        };
    }
}
