using Attribution.Decisions.Calibration;
using Attribution.Decisions.Rpc;
using Attribution.Store;

namespace Attribution.Decisions.Methods;

/// <summary><c>cstp.getCalibration</c>: Brier score, accuracy, gap and buckets of the reviewed decisions, optionally per group.</summary>
public sealed class GetCalibrationMethod(CalibrationService calibration) : IJsonRpcMethod
{
    public string Name => "cstp.getCalibration";

    public async Task<object> InvokeAsync(RpcParams parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var filters = parameters.Object("filters") ?? RpcParams.Empty;
        var filter = new DecisionFilter
        {
            Project = DecisionFields.Project(filters),
            Feature = filters.String("feature", 200),
            Category = filters.String("category", 100),
            Agent = filters.String("agent", 200),
            Since = filters.Timestamp("since"),
            Until = filters.Timestamp("until"),
        };
        var minDecisions = (int)(filters.Integer("minDecisions", 1, 100_000) ?? parameters.Integer("minDecisions", 1, 100_000)
            ?? CalibrationCalculator.DefaultMinDecisions);
        var groupBy = parameters.OneOf("groupBy", DecisionFields.GroupBy) ?? filters.OneOf("groupBy", DecisionFields.GroupBy);

        var report = await calibration.CalculateAsync(filter, minDecisions, groupBy, cancellationToken);
        var result = ToJson(report.Overall);
        if (report.Groups is not null)
        {
            result["groupBy"] = report.GroupBy;
            result["groups"] = report.Groups.Select(g =>
            {
                var json = ToJson(g.Result);
                json["key"] = g.Key;
                return json;
            }).ToList();
        }

        return result;
    }

    public static Dictionary<string, object?> ToJson(CalibrationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var json = new Dictionary<string, object?>
        {
            ["overall"] = result.Overall is { } o
                ? new Dictionary<string, object?>
                {
                    ["brierScore"] = o.BrierScore,
                    ["accuracy"] = o.Accuracy,
                    ["totalDecisions"] = o.TotalDecisions,
                    ["reviewedDecisions"] = o.ReviewedDecisions,
                    ["meanConfidence"] = o.MeanConfidence,
                    ["calibrationGap"] = o.CalibrationGap,
                    ["interpretation"] = o.Interpretation,
                }
                : null,
            ["byConfidenceBucket"] = result.ByConfidenceBucket.Select(b => new Dictionary<string, object?>
            {
                ["bucket"] = b.Bucket,
                ["decisions"] = b.Decisions,
                ["successRate"] = b.SuccessRate,
                ["expectedRate"] = b.ExpectedRate,
                ["gap"] = b.Gap,
                ["interpretation"] = b.Interpretation,
                ["decisionIds"] = b.DecisionIds,
            }).ToList(),
            ["totalDecisions"] = result.TotalDecisions,
            ["reviewedDecisions"] = result.ReviewedDecisions,
        };
        if (result.Message is not null)
        {
            json["message"] = result.Message;
        }

        return json;
    }
}
