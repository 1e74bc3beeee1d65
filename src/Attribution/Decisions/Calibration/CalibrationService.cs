using Attribution.Store;

namespace Attribution.Decisions.Calibration;

/// <summary>A calibration report: the whole filtered set, and per group when asked.</summary>
public sealed record CalibrationReport(CalibrationResult Overall, string? GroupBy, IReadOnlyList<CalibrationGroup>? Groups);

/// <summary>Loads the filtered decisions and runs the calibration maths over them (for <c>cstp.getCalibration</c> and the page).</summary>
public sealed class CalibrationService(DecisionStore store)
{
    public async Task<CalibrationReport> CalculateAsync(DecisionFilter filter, int minDecisions, string? groupBy, CancellationToken cancellationToken)
    {
        var decisions = await store.QueryAsync(filter with { Limit = 100_000 }, cancellationToken);
        var inputs = decisions.Select(d => new CalibrationInput(d.Id, d.Confidence, d.Outcome, GroupKey(d, groupBy))).ToList();
        var overall = CalibrationCalculator.Calculate(inputs, minDecisions);
        var groups = groupBy is null ? null : CalibrationCalculator.CalculateGroups(inputs, minDecisions);
        return new CalibrationReport(overall, groupBy, groups);
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
