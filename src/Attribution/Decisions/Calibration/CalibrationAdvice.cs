using System.Globalization;

namespace Attribution.Decisions.Calibration;

/// <summary>One recommendation of <c>cstp.getCalibration</c>: CSTP's <c>type</c> and <c>severity</c> (info|warning) vocabulary.</summary>
public sealed record CalibrationRecommendation(string Type, string Message, string Severity);

/// <summary>
/// The recommendations CSTP clients show under a calibration, pure. Types as CSTP's: <c>insufficient_data</c>,
/// <c>confidence_adjustment</c>, <c>brier_score</c> (under 0.10 or over 0.25), <c>bucket_warning</c> (a bucket more
/// than 0.15 below its expected rate) and <c>strength</c>. The wording is ours.
/// </summary>
public static class CalibrationAdvice
{
    public const double GoodBrier = 0.10;
    public const double PoorBrier = 0.25;
    public const double BucketWarningGap = -0.15;

    public static IReadOnlyList<CalibrationRecommendation> Recommend(CalibrationResult result, int minDecisions)
    {
        ArgumentNullException.ThrowIfNull(result);
        var advice = new List<CalibrationRecommendation>();
        if (result.Overall is not { } overall)
        {
            advice.Add(new("insufficient_data",
                $"{result.ReviewedDecisions} reviewed decisions so far; calibration needs at least {Math.Max(1, minDecisions)}.", "info"));
            return advice;
        }

        var points = Pct(Math.Abs(overall.CalibrationGap));
        advice.Add(overall.Interpretation switch
        {
            "overconfident" => new("confidence_adjustment", $"Outcomes run {points} below stated confidence: state lower confidence.", "warning"),
            "slightly_overconfident" => new("confidence_adjustment", $"Outcomes run {points} below stated confidence: a small reduction would help.", "info"),
            "underconfident" => new("confidence_adjustment", $"Outcomes run {points} above stated confidence: state higher confidence.", "info"),
            "slightly_underconfident" => new("confidence_adjustment", $"Outcomes run {points} above stated confidence: a small increase would help.", "info"),
            _ => new("strength", "Stated confidence matches outcomes overall.", "info"),
        });

        var brier = overall.BrierScore.ToString("0.00", CultureInfo.InvariantCulture);
        if (overall.BrierScore < GoodBrier)
        {
            advice.Add(new("brier_score", $"Brier score {brier}: confident and right.", "info"));
        }
        else if (overall.BrierScore > PoorBrier)
        {
            advice.Add(new("brier_score", $"Brier score {brier}: look back at the reviewed decisions for a pattern in the misses.", "warning"));
        }

        var shown = result.ByConfidenceBucket.Where(b => b.Decisions >= CalibrationCalculator.MinBucketDecisions).ToList();
        foreach (var bucket in shown.Where(b => b.Gap < BucketWarningGap))
        {
            advice.Add(new("bucket_warning",
                $"Decisions stated at {bucket.Bucket} succeed {Pct(bucket.SuccessRate ?? 0)} of the time; state about that instead.", "warning"));
        }

        var good = shown.Where(b => b.Interpretation == "well_calibrated").ToList();
        if (good.Count > 0 && good.Count < shown.Count)
        {
            advice.Add(new("strength", $"Confidence in {string.Join(", ", good.Select(b => b.Bucket))} matches outcomes.", "info"));
        }

        return advice;
    }

    private static string Pct(double value) => (value * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
}
