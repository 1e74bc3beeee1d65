using Attribution.Decisions.Rpc;
using Attribution.Store;

namespace Attribution.Decisions.Methods;

/// <summary>
/// <c>cstp.reviewDecision</c>: records the outcome of a decision by hand (attribution never overwrites it). The id may be
/// <c>id</c> or <c>decision_id</c>, full or a unique prefix; the result text <c>actualResult</c>, <c>actual_result</c>,
/// <c>reason</c> or <c>result</c>. Answers CSTP's shape (<c>status: "reviewed"</c>, <c>reviewedAt</c>) plus <c>outcome</c>.
/// </summary>
public sealed class ReviewDecisionMethod(DecisionStore store, TimeProvider time) : IJsonRpcMethod
{
    public string Name => "cstp.reviewDecision";

    public async Task<object> InvokeAsync(RpcParams parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var idName = parameters.Has("id") ? "id" : parameters.Has("decision_id") ? "decision_id" : "id";
        var id = DecisionLookup.ReadId(parameters, idName);
        var outcome = parameters.OneOf("outcome", DecisionFields.Outcomes, required: true)!;
        var reason = parameters.String("actualResult", DecisionFields.MaxText) ?? parameters.String("actual_result", DecisionFields.MaxText)
            ?? parameters.String("reason", DecisionFields.MaxText) ?? parameters.String("result", DecisionFields.MaxText);
        var now = time.GetUtcNow();
        var decision = await DecisionLookup.FindAsync(store, parameters, idName, id, cancellationToken);
        if (decision is null || !await store.ReviewAsync(decision.Id, outcome, reason, now, cancellationToken))
        {
            throw parameters.Invalid(idName, "not found: no recorded decision has this id");
        }

        return new Dictionary<string, object?>
        {
            ["success"] = true,
            ["id"] = decision.Id,
            ["path"] = RecordDecisionMethod.DecisionPath(decision.Id),
            ["status"] = "reviewed",
            ["reviewedAt"] = DecisionFields.CstpTime(now),
            ["reindexed"] = true,
            ["outcome"] = outcome,
        };
    }
}
