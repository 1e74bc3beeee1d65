using Attribution.Decisions.Rpc;
using Attribution.Store;

namespace Attribution.Decisions.Methods;

/// <summary><c>cstp.reviewDecision</c>: records the outcome of a decision by hand (attribution never overwrites it).</summary>
public sealed class ReviewDecisionMethod(DecisionStore store, TimeProvider time) : IJsonRpcMethod
{
    public string Name => "cstp.reviewDecision";

    public async Task<object> InvokeAsync(RpcParams parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var id = parameters.String("id", 64, required: true)!;
        var outcome = parameters.OneOf("outcome", DecisionFields.Outcomes, required: true)!;
        var reason = parameters.String("actualResult", DecisionFields.MaxText) ?? parameters.String("reason", DecisionFields.MaxText);
        if (!await store.ReviewAsync(id, outcome, reason, time.GetUtcNow(), cancellationToken))
        {
            throw parameters.Invalid("id", "names no recorded decision");
        }

        return new Dictionary<string, object?> { ["success"] = true, ["id"] = id, ["outcome"] = outcome };
    }
}
