using System.Globalization;
using Attribution.Decisions.Calibration;
using Attribution.Decisions.Rpc;
using Attribution.Store;

namespace Attribution.Decisions.Methods;

/// <summary>
/// <c>cstp.getCalibration</c>: Brier score, accuracy, gap and buckets of the reviewed decisions, optionally per group,
/// in CSTP's shape: buckets with fewer than <see cref="CalibrationCalculator.MinBucketDecisions"/> reviewed decisions
/// are left out, and <c>recommendations</c>, <c>queryTime</c> and <c>confidenceStats</c> come with every answer.
/// Filters come in <c>filters</c> or top-level (CSTP's dashboard); <c>window</c> (30d, 60d, 90d, all or any Nd) sets
/// <c>since</c> and <c>until</c>.
/// </summary>
public sealed class GetCalibrationMethod(CalibrationService calibration, TimeProvider time) : IJsonRpcMethod
{
    public string Name => "cstp.getCalibration";

    public async Task<object> InvokeAsync(RpcParams parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var now = time.GetUtcNow();
        var filters = parameters.Object("filters") ?? RpcParams.Empty;
        RpcParams From(string name) => filters.Has(name) ? filters : parameters;
        var window = From("window").String("window", 16);
        DateTimeOffset? windowSince = null;
        if (window is not null && !string.Equals(window, "all", StringComparison.OrdinalIgnoreCase))
        {
            windowSince = Common.Since.TryParseDuration(window, out var span)
                ? now - span
                : throw From("window").Invalid("window", "must be all or a duration such as 30d, 60d or 90d");
        }

        var filter = DecisionFields.ReadFilter(parameters) with
        {
            Since = windowSince ?? From("since").Since("since", now),
            Until = windowSince is null ? From("until").Timestamp("until") : now,
        };
        var minDecisions = (int)(filters.Integer("minDecisions", 1, 100_000) ?? parameters.Integer("minDecisions", 1, 100_000)
            ?? CalibrationCalculator.DefaultMinDecisions);
        var groupBy = parameters.OneOf("groupBy", DecisionFields.GroupBy) ?? filters.OneOf("groupBy", DecisionFields.GroupBy);

        var report = await calibration.CalculateAsync(filter, minDecisions, groupBy, cancellationToken);
        var result = ToJson(report.Overall, minDecisions);
        result["queryTime"] = DecisionFields.CstpTime(now);
        result["confidenceStats"] = report.ConfidenceStats;
        if (window is not null && report.Overall.Overall is not null && result["overall"] is Dictionary<string, object?> overall)
        {
            overall["window"] = window;
            overall["periodStart"] = filter.Since is { } s ? s.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
            overall["periodEnd"] = filter.Until is { } u ? u.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
        }

        if (report.Groups is not null)
        {
            result["groupBy"] = report.GroupBy;
            result["groups"] = report.Groups.Select(g =>
            {
                var json = ToJson(g.Result, minDecisions);
                json["key"] = g.Key;
                return json;
            }).ToList();
        }

        return result;
    }

    public static Dictionary<string, object?> ToJson(CalibrationResult result, int minDecisions)
    {
        ArgumentNullException.ThrowIfNull(result);
        var buckets = result.ByConfidenceBucket.Where(b => b.Decisions >= CalibrationCalculator.MinBucketDecisions).ToList();
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

                    // CSTP's command-line client reads these snake_case names.
                    ["brier_score"] = o.BrierScore,
                    ["total_decisions"] = o.TotalDecisions,
                    ["reviewed_decisions"] = o.ReviewedDecisions,
                }
                : null,
            ["byConfidenceBucket"] = buckets.Select(b => new Dictionary<string, object?>
            {
                ["bucket"] = b.Bucket,
                ["decisions"] = b.Decisions,
                ["successRate"] = b.SuccessRate,
                ["expectedRate"] = b.ExpectedRate,
                ["gap"] = b.Gap,
                ["interpretation"] = b.Interpretation,
                ["meanConfidence"] = b.MeanConfidence,
                ["decisionIds"] = b.DecisionIds,
            }).ToList(),
            ["recommendations"] = CalibrationAdvice.Recommend(result, minDecisions).Select(r => new Dictionary<string, object?>
            {
                ["type"] = r.Type, ["message"] = r.Message, ["severity"] = r.Severity,
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
