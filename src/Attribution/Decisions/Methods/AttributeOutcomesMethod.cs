using Attribution.Decisions.Outcomes;
using Attribution.Decisions.Rpc;

namespace Attribution.Decisions.Methods;

/// <summary><c>cstp.attributeOutcomes</c>: judges a repository's decisions from what happened to their code. <c>since</c> is a date, a timestamp or a duration (<c>30d</c>).</summary>
public sealed class AttributeOutcomesMethod(OutcomeAttributor attributor, TimeProvider time) : IJsonRpcMethod
{
    public const int DefaultStabilityDays = Linking.Outcomes.Verdicts.StillGoodDays;

    public string Name => "cstp.attributeOutcomes";

    public async Task<object> InvokeAsync(RpcParams parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var project = DecisionFields.Project(parameters, required: true)!;
        var since = parameters.Since("since", time.GetUtcNow());
        var stabilityDays = (int)(parameters.Integer("stabilityDays", 0, 3650) ?? DefaultStabilityDays);
        var dryRun = parameters.Boolean("dryRun") ?? false;

        var run = await attributor.RunAsync(project, since, stabilityDays, dryRun, cancellationToken);
        return new Dictionary<string, object?>
        {
            ["processed"] = run.Processed,
            ["attributed"] = new Dictionary<string, object?>
            {
                ["stable"] = run.Stable, ["bugLinked"] = run.BugLinked, ["missed"] = run.Missed,

                // CSTP's count of decisions left pending (no verdict yet).
                ["skipped"] = run.Entries.Count(e => e.Verdict == Outcomes.Verdict.Pending),
            },
            ["decisions"] = run.Entries.Select(e => new Dictionary<string, object?>
            {
                ["id"] = e.Id, ["outcome"] = e.Outcome, ["verdict"] = e.Verdict, ["reason"] = e.Reason,
                ["path"] = RecordDecisionMethod.DecisionPath(e.Id), ["updated"] = !run.DryRun && e.Outcome is not null,
            }).ToList(),
            ["queryTime"] = DecisionFields.CstpTime(time.GetUtcNow()),
            ["dryRun"] = run.DryRun,
            ["written"] = run.Written,
            ["stabilityDays"] = stabilityDays,
        };
    }
}
