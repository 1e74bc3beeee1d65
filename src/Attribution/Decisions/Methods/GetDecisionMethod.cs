using Attribution.Decisions.Rpc;
using Attribution.Store;

namespace Attribution.Decisions.Methods;

/// <summary>
/// <c>cstp.getDecision</c>: one decision by id (<c>id</c> or <c>decision_id</c>, full or a unique prefix). As CSTP's:
/// <c>{"found": true, "decision": {...}}</c>, or <c>{"found": false, "error": "Decision not found: …"}</c> (not a JSON-RPC error).
/// </summary>
public sealed class GetDecisionMethod(DecisionStore store) : IJsonRpcMethod
{
    public string Name => "cstp.getDecision";

    public async Task<object> InvokeAsync(RpcParams parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var idName = parameters.Has("id") ? "id" : parameters.Has("decision_id") ? "decision_id" : "id";
        var id = DecisionLookup.ReadId(parameters, idName);
        var decision = await DecisionLookup.FindAsync(store, parameters, idName, id, cancellationToken);
        return decision is null
            ? new Dictionary<string, object?> { ["found"] = false, ["error"] = $"Decision not found: {id}" }
            : new Dictionary<string, object?> { ["found"] = true, ["decision"] = DecisionFields.ToJson(decision) };
    }
}
