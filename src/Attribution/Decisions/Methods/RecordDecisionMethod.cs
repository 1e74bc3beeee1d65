using Attribution.Decisions.Rpc;
using Attribution.Store;

namespace Attribution.Decisions.Methods;

/// <summary>
/// <c>cstp.recordDecision</c>: stores a decision with its confidence and project context. Defaults as CSTP's server:
/// confidence 0.5, category <c>process</c>, stakes <c>medium</c>. Project context comes top-level (F010) or in a
/// <c>project_context</c> object (CSTP's command-line client).
/// </summary>
public sealed class RecordDecisionMethod(DecisionStore store, TimeProvider time) : IJsonRpcMethod
{
    public const double DefaultConfidence = 0.5;
    public const string DefaultCategory = "process";
    public const string DefaultStakes = "medium";

    public string Name => "cstp.recordDecision";

    public async Task<object> InvokeAsync(RpcParams parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var summary = parameters.Has("summary")
            ? parameters.String("summary", DecisionFields.MaxText, required: true)!
            : parameters.String("decision", DecisionFields.MaxText, required: true)!;
        var context = parameters.Object("project_context") ?? parameters.Object("projectContext");
        RpcParams From(string name) => context is not null && !parameters.Has(name) && context.Has(name) ? context : parameters;

        var now = time.GetUtcNow();
        var record = new DecisionRecord
        {
            Id = "",
            Summary = summary,
            Confidence = parameters.Number("confidence", 0, 1) ?? DefaultConfidence,
            Category = parameters.String("category", 100) ?? DefaultCategory,
            Stakes = parameters.OneOf("stakes", DecisionFields.Stakes) ?? DefaultStakes,
            Agent = parameters.String("agent", 200) ?? parameters.String("agentId", 200) ?? parameters.String("agent_id", 200),
            Context = parameters.String("context", DecisionFields.MaxText),
            Project = DecisionFields.Project(From("project")),
            Feature = From("feature").String("feature", 200),
            PrNumber = DecisionFields.Pr(From("pr")),
            FilePath = DecisionFields.FilePath(From("file")),
            Line = DecisionFields.Line(From("line")),
            CommitSha = DecisionFields.Commit(From("commit")),
            CreatedTs = now,
        };

        // 32 random bits: a clash is rare, and a taken id just draws again.
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var id = DecisionIds.NewDecisionId();
            if (await store.InsertAsync(record with { Id = id }, cancellationToken))
            {
                return new Dictionary<string, object?>
                {
                    ["success"] = true,
                    ["id"] = id,
                    ["path"] = DecisionPath(id),
                    ["indexed"] = true,
                    ["timestamp"] = DapperSetup.Format(now),
                };
            }
        }

        throw new JsonRpcException(JsonRpcErrorCodes.InternalError, "Internal error: could not allocate a decision id.");
    }

    /// <summary>CSTP answers the YAML file it wrote; decisions live in the database here, so this names the record instead.</summary>
    public static string DecisionPath(string id) => "decisions/" + id;
}
