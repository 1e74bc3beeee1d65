namespace Attribution.Decisions.Calibration;

/// <summary>
/// CSTP calibration maths, pure. Outcomes score success 1, partial 0.5, failure/abandoned 0. Brier score =
/// mean (confidence − score)²; accuracy = mean score; gap = accuracy − mean confidence. Figures are rounded
/// to 3 places (away from zero) only at the end.
/// </summary>
public static class CalibrationCalculator
{
    public const int DefaultMinDecisions = 3;

    /// <summary>A bucket is well calibrated while |success rate − expected rate| stays under this (CSTP's rule).</summary>
    public const double BucketTolerance = 0.10;

    /// <summary>The whole set is well calibrated while |gap| stays under this; "slightly" up to <see cref="BucketTolerance"/> (CSTP's rule).</summary>
    public const double OverallTolerance = 0.05;

    /// <summary>Buckets with fewer reviewed decisions than this are left out of CSTP answers (as CSTP's server does).</summary>
    public const int MinBucketDecisions = 3;

    /// <summary>CSTP's expected success rate per bucket: a fixed point inside the range, not the members' mean confidence.</summary>
    public static IReadOnlyDictionary<string, double> ExpectedRates { get; } = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["0.9-1.0"] = 0.95, ["0.7-0.9"] = 0.80, ["0.5-0.7"] = 0.60, ["0.0-0.5"] = 0.25,
    };

    /// <summary>The four CSTP buckets, highest first: [0.9, 1.0], [0.7, 0.9), [0.5, 0.7), [0.0, 0.5).</summary>
    public static IReadOnlyList<string> BucketNames { get; } = ["0.9-1.0", "0.7-0.9", "0.5-0.7", "0.0-0.5"];

    public static double? OutcomeScore(string? outcome) => outcome switch
    {
        "success" => 1.0,
        "partial" => 0.5,
        "failure" or "abandoned" => 0.0,
        _ => null,
    };

    public static string BucketOf(double confidence) => confidence switch
    {
        >= 0.9 => "0.9-1.0",
        >= 0.7 => "0.7-0.9",
        >= 0.5 => "0.5-0.7",
        _ => "0.0-0.5",
    };

    public static CalibrationResult Calculate(IReadOnlyCollection<CalibrationInput> decisions, int minDecisions = DefaultMinDecisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        var reviewed = decisions.Where(d => OutcomeScore(d.Outcome) is not null).ToList();
        if (reviewed.Count < Math.Max(1, minDecisions))
        {
            var message = $"Calibration needs at least {Math.Max(1, minDecisions)} reviewed decisions; {reviewed.Count} of {decisions.Count} are reviewed.";
            return new CalibrationResult(null, [], decisions.Count, reviewed.Count, message);
        }

        var scores = reviewed.Select(d => OutcomeScore(d.Outcome)!.Value).ToList();
        var brier = reviewed.Select((d, i) => Math.Pow(d.Confidence - scores[i], 2)).Average();
        var accuracy = scores.Average();
        var meanConfidence = reviewed.Average(d => d.Confidence);
        var gap = accuracy - meanConfidence;
        var overall = new CalibrationOverall(
            Round(brier), Round(accuracy), decisions.Count, reviewed.Count, Round(meanConfidence), Round(gap), InterpretOverall(gap));

        var buckets = BucketNames.Select(name => Bucket(name, reviewed.Where(d => BucketOf(d.Confidence) == name).ToList())).ToList();
        return new CalibrationResult(overall, buckets, decisions.Count, reviewed.Count, null);
    }

    /// <summary>Per group key (null keys form their own group), ordered by key with the null group last.</summary>
    public static IReadOnlyList<CalibrationGroup> CalculateGroups(IReadOnlyCollection<CalibrationInput> decisions, int minDecisions = DefaultMinDecisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        return decisions
            .GroupBy(d => d.GroupKey, StringComparer.Ordinal)
            .OrderBy(g => g.Key is null ? 1 : 0).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CalibrationGroup(g.Key, Calculate(g.ToList(), minDecisions)))
            .ToList();
    }

    /// <summary>CSTP's words for the whole set. Positive gap: outcomes beat the stated confidence (underconfident).</summary>
    public static string InterpretOverall(double gap) =>
        Math.Abs(gap) < OverallTolerance ? "well_calibrated"
        : gap < -BucketTolerance ? "overconfident"
        : gap < 0 ? "slightly_overconfident"
        : gap > BucketTolerance ? "underconfident"
        : "slightly_underconfident";

    /// <summary>CSTP's words for one bucket (gap = success rate − the bucket's expected rate).</summary>
    public static string InterpretBucket(double gap) =>
        Math.Abs(gap) < BucketTolerance ? "well_calibrated" : gap < 0 ? "overconfident" : "underconfident";

    private static CalibrationBucket Bucket(string name, List<CalibrationInput> members)
    {
        var expected = ExpectedRates[name];
        if (members.Count == 0)
        {
            return new CalibrationBucket(name, 0, null, expected, null, "no_reviewed_decisions", [], null);
        }

        var success = members.Average(d => OutcomeScore(d.Outcome)!.Value);
        var gap = Round(success) - expected;
        return new CalibrationBucket(name, members.Count, Round(success), expected, Round(gap), InterpretBucket(gap),
            members.Select(d => d.Id).ToList(), Round(members.Average(d => d.Confidence)));
    }

    public static double Round(double value) => Math.Round(value, 3, MidpointRounding.AwayFromZero);
}
