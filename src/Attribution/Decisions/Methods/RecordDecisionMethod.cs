using Attribution.Decisions.Rpc;
using Attribution.Store;

namespace Attribution.Decisions.Methods;

/// <summary><c>cstp.recordDecision</c>: stores a decision with its confidence and project context.</summary>
public sealed class RecordDecisionMethod(DecisionStore store, TimeProvider time) : IJsonRpcMethod
{
    public string Name => "cstp.recordDecision";

    public async Task<object> InvokeAsync(RpcParams parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var summary = parameters.Has("summary")
            ? parameters.String("summary", DecisionFields.MaxText, required: true)!
            : parameters.String("decision", DecisionFields.MaxText, required: true)!;
        var now = time.GetUtcNow();
        var record = new DecisionRecord
        {
            Id = "",
            Summary = summary,
            Confidence = parameters.Number("confidence", 0, 1, required: true)!.Value,
            Category = parameters.String("category", 100),
            Stakes = parameters.OneOf("stakes", DecisionFields.Stakes),
            Agent = parameters.String("agent", 200) ?? parameters.String("agentId", 200),
            Context = parameters.String("context", DecisionFields.MaxText),
            Project = DecisionFields.Project(parameters),
            Feature = parameters.String("feature", 200),
            PrNumber = DecisionFields.Pr(parameters),
            FilePath = DecisionFields.FilePath(parameters),
            Line = DecisionFields.Line(parameters),
            CommitSha = DecisionFields.Commit(parameters),
            CreatedTs = now,
        };

        if (record.Line is not null && record.FilePath is null)
        {
            throw parameters.Invalid("line", "needs 'file'");
        }

        // 32 random bits: a clash is rare, and a taken id just draws again.
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var id = DecisionIds.NewDecisionId();
            if (await store.InsertAsync(record with { Id = id }, cancellationToken))
            {
                return new Dictionary<string, object?> { ["success"] = true, ["id"] = id, ["timestamp"] = DapperSetup.Format(now) };
            }
        }

        throw new JsonRpcException(JsonRpcErrorCodes.InternalError, "Internal error: could not allocate a decision id.");
    }
}
