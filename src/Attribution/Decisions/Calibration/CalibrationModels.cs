namespace Attribution.Decisions.Calibration;

/// <summary>One decision as calibration sees it: stated confidence, its outcome (null = not reviewed) and group key.</summary>
public sealed record CalibrationInput(string Id, double Confidence, string? Outcome, string? GroupKey = null);

/// <summary>The overall figures of a set of reviewed decisions (CSTP <c>overall</c>).</summary>
public sealed record CalibrationOverall(
    double BrierScore, double Accuracy, int TotalDecisions, int ReviewedDecisions, double MeanConfidence, double CalibrationGap, string Interpretation);

/// <summary>
/// One confidence bucket (CSTP <c>byConfidenceBucket</c> element): <see cref="ExpectedRate"/> is CSTP's fixed rate of the
/// bucket, <see cref="MeanConfidence"/> the members' mean stated confidence; rates are null when the bucket is empty.
/// </summary>
public sealed record CalibrationBucket(
    string Bucket, int Decisions, double? SuccessRate, double ExpectedRate, double? Gap, string Interpretation, IReadOnlyList<string> DecisionIds,
    double? MeanConfidence);

/// <summary>Calibration of one set of decisions; <see cref="Overall"/> is null below the minimum with <see cref="Message"/> saying why.</summary>
public sealed record CalibrationResult(
    CalibrationOverall? Overall, IReadOnlyList<CalibrationBucket> ByConfidenceBucket, int TotalDecisions, int ReviewedDecisions, string? Message);

/// <summary>Calibration of one group (<c>groupBy</c>); key null = decisions without a value for the grouping field.</summary>
public sealed record CalibrationGroup(string? Key, CalibrationResult Result);
