using System.Diagnostics;
using Attribution.Decisions.Rpc;
using Attribution.Store;

namespace Attribution.Decisions.Methods;

/// <summary>
/// <c>cstp.queryDecisions</c>: text query plus project-context filters, best matches first. Items carry CSTP's
/// <c>title</c>, <c>status</c>, <c>date</c> and <c>distance</c> (1 − score: lower is closer) beside our fields;
/// <c>total</c> counts the decisions returned, as CSTP's does, and <c>matched</c> all that matched.
/// </summary>
public sealed class QueryDecisionsMethod(DecisionStore store) : IJsonRpcMethod
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 500;

    /// <summary>What this server does for every <c>retrievalMode</c>: word matching (there is no embedding index).</summary>
    public const string RetrievalMode = "keyword";

    public string Name => "cstp.queryDecisions";

    public async Task<object> InvokeAsync(RpcParams parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var watch = Stopwatch.StartNew();
        var query = parameters.String("query", 2_000) ?? "";
        var limit = (int)(parameters.Integer("limit", 1, MaxLimit) ?? parameters.Integer("top_k", 1, MaxLimit) ?? DefaultLimit);
        parameters.OneOf("retrievalMode", ["semantic", "keyword", "hybrid"]);
        var filter = DecisionFields.ReadFilter(parameters) with { Limit = 100_000 };

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
            json["distance"] = Math.Round(1 - m.Score, 3);
            return json;
        }).ToList();
        return new Dictionary<string, object?>
        {
            ["decisions"] = decisions,
            ["total"] = decisions.Count,
            ["matched"] = matches.Count,
            ["query"] = query,
            ["queryTimeMs"] = (int)watch.ElapsedMilliseconds,
            ["agent"] = filter.Agent ?? "anonymous",
            ["retrievalMode"] = RetrievalMode,
        };
    }
}
