using Attribution.Store;

namespace Attribution.Decisions.Calibration;

/// <summary>A calibration report: the whole filtered set, and per group when asked.</summary>
public sealed record CalibrationReport(CalibrationResult Overall, string? GroupBy, IReadOnlyList<CalibrationGroup>? Groups)
{
    /// <summary>CSTP's <c>confidenceStats</c>: the stated confidences of every filtered decision, reviewed or not.</summary>
    public IReadOnlyDictionary<string, object?>? ConfidenceStats { get; init; }
}

/// <summary>Loads the filtered decisions and runs the calibration maths over them (for <c>cstp.getCalibration</c> and the page).</summary>
public sealed class CalibrationService(DecisionStore store)
{
    public async Task<CalibrationReport> CalculateAsync(DecisionFilter filter, int minDecisions, string? groupBy, CancellationToken cancellationToken)
    {
        var decisions = await store.QueryAsync(filter with { Limit = 100_000 }, cancellationToken);
        var inputs = decisions.Select(d => new CalibrationInput(d.Id, d.Confidence, d.Outcome, GroupKey(d, groupBy))).ToList();
        var overall = CalibrationCalculator.Calculate(inputs, minDecisions);
        var groups = groupBy is null ? null : CalibrationCalculator.CalculateGroups(inputs, minDecisions);
        return new CalibrationReport(overall, groupBy, groups) { ConfidenceStats = ConfidenceStats(decisions.Select(d => d.Confidence).ToList()) };
    }

    /// <summary>Count, mean, population standard deviation, min, max and the count per bucket, rounded to 3 places; null when empty.</summary>
    public static IReadOnlyDictionary<string, object?>? ConfidenceStats(IReadOnlyList<double> confidences)
    {
        ArgumentNullException.ThrowIfNull(confidences);
        if (confidences.Count == 0)
        {
            return null;
        }

        var mean = confidences.Average();
        var spread = Math.Sqrt(confidences.Average(c => (c - mean) * (c - mean)));
        return new Dictionary<string, object?>
        {
            ["count"] = confidences.Count,
            ["mean"] = CalibrationCalculator.Round(mean),
            ["stdDev"] = CalibrationCalculator.Round(spread),
            ["min"] = confidences.Min(),
            ["max"] = confidences.Max(),
            ["bucketCounts"] = CalibrationCalculator.BucketNames.ToDictionary(
                b => b, b => confidences.Count(c => CalibrationCalculator.BucketOf(c) == b), StringComparer.Ordinal),
        };
    }

    public static string? GroupKey(DecisionRecord decision, string? groupBy)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return groupBy switch
        {
            "project" => decision.Project,
            "feature" => decision.Feature,
            "category" => decision.Category,
            "agent" => decision.Agent,
            _ => null,
        };
    }
}
