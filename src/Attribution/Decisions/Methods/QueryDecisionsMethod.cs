using Attribution.Decisions.Rpc;
using Attribution.Store;

namespace Attribution.Decisions.Methods;

/// <summary><c>cstp.queryDecisions</c>: text query plus project-context filters, best matches first.</summary>
public sealed class QueryDecisionsMethod(DecisionStore store) : IJsonRpcMethod
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 500;

    public string Name => "cstp.queryDecisions";

    public async Task<object> InvokeAsync(RpcParams parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var query = parameters.String("query", 2_000) ?? "";
        var limit = (int)(parameters.Integer("limit", 1, MaxLimit) ?? parameters.Integer("top_k", 1, MaxLimit) ?? DefaultLimit);
        var filters = parameters.Object("filters") ?? RpcParams.Empty;
        var filter = new DecisionFilter
        {
            Project = DecisionFields.Project(filters),
            Feature = filters.String("feature", 200),
            Pr = DecisionFields.Pr(filters),
            Category = filters.String("category", 100),
            Agent = filters.String("agent", 200),
            HasOutcome = filters.Boolean("hasOutcome"),
            Limit = 100_000,
        };

        var terms = DecisionTextMatcher.Terms(query);
        var matches = (await store.QueryAsync(filter, cancellationToken))
            .Select(d => (Decision: d, Score: DecisionTextMatcher.Score(terms, d.Summary, d.Category, d.Feature, d.FilePath, d.Context)))
            .Where(m => m.Score > 0)
            .OrderByDescending(m => m.Score).ThenByDescending(m => m.Decision.CreatedTs).ThenBy(m => m.Decision.Id, StringComparer.Ordinal)
            .ToList();

        var decisions = matches.Take(limit).Select(m =>
        {
            var json = DecisionFields.ToJson(m.Decision);
            json["score"] = Math.Round(m.Score, 3);
            return json;
        }).ToList();
        return new Dictionary<string, object?> { ["decisions"] = decisions, ["total"] = matches.Count, ["query"] = query };
    }
}
