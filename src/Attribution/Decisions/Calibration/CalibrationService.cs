using Attribution.Store;

namespace Attribution.Decisions.Calibration;

/// <summary>A calibration report: the whole filtered set, and per group when asked.</summary>
public sealed record CalibrationReport(CalibrationResult Overall, string? GroupBy, IReadOnlyList<CalibrationGroup>? Groups)
{
    /// <summary>CSTP's <c>confidenceStats</c>: the stated confidences of every filtered decision, reviewed or not.</summary>
    public IReadOnlyDictionary<string, object?>? ConfidenceStats { get; init; }
}

/// <summary>One decision as the calibration page lists it under its bucket.</summary>
public sealed record CalibrationDecision(
    string Id, string Summary, double Confidence, string? Outcome, string? OutcomeReason, string? Project, long? PrNumber, string? CommitSha, string? FilePath, long? Line);

/// <summary>What <c>/calibration</c> shows: the figures over every filtered decision, per group when asked, and each decision by id.</summary>
public sealed record CalibrationPage(CalibrationResult Result, IReadOnlyList<CalibrationGroup> Groups, IReadOnlyDictionary<string, CalibrationDecision> Decisions);

/// <summary>Loads the filtered decisions and runs the calibration maths over them (for <c>cstp.getCalibration</c> and the page).</summary>
public sealed class CalibrationService(DecisionStore store)
{
    public async Task<CalibrationReport> CalculateAsync(DecisionFilter filter, int minDecisions, string? groupBy, CancellationToken cancellationToken)
    {
        var (decisions, overall, groups) = await LoadAsync(filter with { Limit = 100_000 }, minDecisions, groupBy, cancellationToken);
        return new CalibrationReport(overall, groupBy, groups) { ConfidenceStats = ConfidenceStats(decisions.Select(d => d.Confidence).ToList()) };
    }

    /// <summary>The page's read: at most <paramref name="limit"/> decisions (newest first) of the filters, null = no filter.</summary>
    public async Task<CalibrationPage> PageAsync(string? project, string? category, string? feature, string? agent, string? groupBy, int limit, CancellationToken cancellationToken)
    {
        var filter = new DecisionFilter { Project = project, Category = category, Feature = feature, Agent = agent, Limit = limit };
        var (decisions, overall, groups) = await LoadAsync(filter, CalibrationCalculator.DefaultMinDecisions, groupBy, cancellationToken);
        var byId = decisions.ToDictionary(
            d => d.Id,
            d => new CalibrationDecision(d.Id, d.Summary, d.Confidence, d.Outcome, d.OutcomeReason, d.Project, d.PrNumber, d.CommitSha, d.FilePath, d.Line),
            StringComparer.Ordinal);
        return new CalibrationPage(overall, groups ?? [], byId);
    }

    private async Task<(IReadOnlyList<DecisionRecord> Decisions, CalibrationResult Overall, IReadOnlyList<CalibrationGroup>? Groups)> LoadAsync(
        DecisionFilter filter, int minDecisions, string? groupBy, CancellationToken cancellationToken)
    {
        var decisions = await store.QueryAsync(filter, cancellationToken);
        var inputs = decisions.Select(d => new CalibrationInput(d.Id, d.Confidence, d.Outcome, GroupKey(d, groupBy))).ToList();
        var overall = CalibrationCalculator.Calculate(inputs, minDecisions);
        var groups = groupBy is null ? null : CalibrationCalculator.CalculateGroups(inputs, minDecisions);
        return (decisions, overall, groups);
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
