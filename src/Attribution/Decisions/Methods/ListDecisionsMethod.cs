using Attribution.Decisions.Rpc;
using Attribution.Store;

namespace Attribution.Decisions.Methods;

/// <summary>
/// <c>cstp.listDecisions</c> (CSTP F050, used by its dashboard): filtered, sorted, paged listing.
/// Params <c>limit</c> (1–500, default 50), <c>offset</c>, <c>category</c>, <c>stakes</c>, <c>status</c>
/// (pending|reviewed), <c>agent</c>, <c>project</c>, <c>dateFrom</c>, <c>dateTo</c>, <c>search</c> (words),
/// <c>sort</c> (created_at|confidence|category|stakes|status), <c>order</c> (asc|desc) →
/// <c>{"decisions": [...], "total": n, "limit": n, "offset": n}</c>, total = all matching.
/// </summary>
public sealed class ListDecisionsMethod(DecisionStore store) : IJsonRpcMethod
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
    public const int MaxOffset = 1_000_000;

    public static IReadOnlyList<string> SortKeys { get; } = ["created_at", "confidence", "category", "stakes", "status"];

    public string Name => "cstp.listDecisions";

    public async Task<object> InvokeAsync(RpcParams parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var limit = (int)(parameters.Integer("limit", 1, MaxLimit) ?? DefaultLimit);
        var offset = (int)(parameters.Integer("offset", 0, MaxOffset) ?? 0);
        var status = parameters.OneOf("status", ["pending", "reviewed"]);
        var sort = parameters.OneOf("sort", SortKeys) ?? "created_at";
        var descending = (parameters.OneOf("order", ["asc", "desc"]) ?? "desc") == "desc";
        var filter = DecisionFields.DashboardFilter(parameters) with
        {
            Category = parameters.String("category", 100),
            Agent = parameters.String("agent", 200),
            Stakes = DecisionFields.StakesFilter(parameters),
            HasOutcome = status is null ? null : status == "reviewed",
        };
        var terms = DecisionTextMatcher.Terms(parameters.String("search", 2_000));

        var matching = (await store.QueryAsync(filter, cancellationToken))
            .Where(d => DecisionTextMatcher.Score(terms, d.Summary, d.Category, d.Feature, d.FilePath, d.Context) > 0)
            .ToList();
        var ordered = Order(matching, sort, descending);
        return new Dictionary<string, object?>
        {
            ["decisions"] = ordered.Skip(offset).Take(limit).Select(DecisionFields.ToJson).ToList(),
            ["total"] = matching.Count,
            ["limit"] = limit,
            ["offset"] = offset,
        };
    }

    private static IEnumerable<DecisionRecord> Order(List<DecisionRecord> decisions, string sort, bool descending)
    {
        static int StakesRank(string? stakes) => stakes is null ? -1 : DecisionFields.Stakes.ToList().IndexOf(stakes);
        IOrderedEnumerable<DecisionRecord> sorted = sort switch
        {
            "confidence" => descending ? decisions.OrderByDescending(d => d.Confidence) : decisions.OrderBy(d => d.Confidence),
            "category" => descending ? decisions.OrderByDescending(d => d.Category, StringComparer.Ordinal) : decisions.OrderBy(d => d.Category, StringComparer.Ordinal),
            "stakes" => descending ? decisions.OrderByDescending(d => StakesRank(d.Stakes)) : decisions.OrderBy(d => StakesRank(d.Stakes)),
            "status" => descending ? decisions.OrderByDescending(DecisionFields.Status, StringComparer.Ordinal) : decisions.OrderBy(DecisionFields.Status, StringComparer.Ordinal),
            _ => descending ? decisions.OrderByDescending(d => d.CreatedTs) : decisions.OrderBy(d => d.CreatedTs),
        };
        return sorted.ThenByDescending(d => d.CreatedTs).ThenBy(d => d.Id, StringComparer.Ordinal);
    }
}
