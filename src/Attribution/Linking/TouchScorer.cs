namespace Attribution.Linking;

/// <summary>
/// The <c>inferred-by-touch</c> rubric. A raw score from one pair's own evidence, then a competition step:
/// the pair loses half the raw score of the strongest other session that edited the same files.
/// Weights (documented in docs/readme/engine.md):
/// base 0.15; recency up to +0.35 (full within 10 min, falling with the log of the delay, 0 from 24 h);
/// first touch +0.15, else −0.10 per intervening commit (at most −0.30); session text in the diff +0.35
/// (two or more of its lines, or 60 % of them), +0.20 for a single line, −0.15 when none of it is there;
/// share of the commit's files the session edited up to +0.10. Clamped to [0.02, 0.97].
/// </summary>
public static class TouchScorer
{
    public const double Base = 0.15;
    public const double RecencyWeight = 0.35;
    public const double FirstTouchBonus = 0.15;
    public const double InterveningPenalty = 0.10;
    public const double TextWeight = 0.35;
    public const double TextFullRatio = 0.6;
    public const double TextAbsentPenalty = 0.15;
    public const double ShareWeight = 0.10;
    public const double CompetitionFactor = 0.5;
    public const double Max = 0.97;
    public const double Min = 0.02;

    private static readonly TimeSpan FullRecency = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan NoRecency = TimeSpan.FromHours(24);

    /// <summary>The pair's own score, before other sessions are considered.</summary>
    public static double Raw(TouchEvidence evidence)
    {
        var score = Base + Recency(evidence.Delay);
        score += evidence.FirstTouch ? FirstTouchBonus : -InterveningPenalty * Math.Min(evidence.InterveningCommits, 3);
        score += Text(evidence);
        score += ShareWeight * evidence.Share;
        return Math.Round(Math.Clamp(score, Min, Max), 3);
    }

    /// <summary>Recency term: full within 10 minutes, then falling with the logarithm of the delay to 0 at 24 hours.</summary>
    public static double Recency(TimeSpan delay)
    {
        if (delay <= FullRecency)
        {
            return RecencyWeight;
        }

        if (delay >= NoRecency)
        {
            return 0;
        }

        var fraction = Math.Log(delay / FullRecency) / Math.Log(NoRecency / FullRecency);
        return RecencyWeight * (1 - fraction);
    }

    public const double SingleLineWeight = 0.20;

    /// <summary>Text term: unknown 0; clearly found +0.35; one line found +0.20; written but absent −0.15.</summary>
    public static double Text(TouchEvidence evidence)
    {
        if (evidence.TextRatio is null)
        {
            return 0;
        }

        if (evidence.TextFound)
        {
            return TextWeight;
        }

        return evidence.TextHits == 1 || evidence.TextRatio > 0 ? SingleLineWeight : -TextAbsentPenalty;
    }

    /// <summary>Final confidence of a pair given the raw scores of the other sessions that compete for the same commit.</summary>
    public static double Compete(double raw, IEnumerable<double> otherRaws)
    {
        var strongest = otherRaws.DefaultIfEmpty(0).Max();
        return Math.Round(Math.Clamp(raw - CompetitionFactor * strongest, Min, Max), 3);
    }

    /// <summary>Whether a pair outside the plain touch window may still be a candidate: its text is in the diff and nothing touched the files in between.</summary>
    public static bool QualifiesBeyondWindow(TouchEvidence evidence) =>
        evidence.FirstTouch && evidence.TextFound;
}
