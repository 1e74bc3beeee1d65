using Attribution.Decisions.Calibration;

namespace Attribution.Tests.Decisions;

public sealed class CalibrationCalculatorTests
{
    // Hand-computed: squared errors 0.0025, 0.81, 0.04, 0.0625, 0.16, 0.09 → Brier 1.165 / 6 = 0.19417;
    // scores 1, 0, 1, 0.5, 1, 0 → accuracy 3.5 / 6 = 0.58333; mean confidence 4.3 / 6 = 0.71667; gap −0.13333.
    private static readonly CalibrationInput[] Sample =
    [
        new("a", 0.95, "success", "x"),
        new("b", 0.90, "failure", "x"),
        new("c", 0.80, "success", "x"),
        new("d", 0.75, "partial", "y"),
        new("e", 0.60, "success", "y"),
        new("f", 0.30, "abandoned"),
        new("g", 0.70, null),
    ];

    [Fact]
    public void Calculate_HandComputedSample_MatchesOverallFigures()
    {
        var result = CalibrationCalculator.Calculate(Sample);

        result.Overall.Should().NotBeNull();
        result.Overall!.BrierScore.Should().Be(0.194);
        result.Overall.Accuracy.Should().Be(0.583);
        result.Overall.MeanConfidence.Should().Be(0.717);
        result.Overall.CalibrationGap.Should().Be(-0.133);
        result.Overall.TotalDecisions.Should().Be(7);
        result.Overall.ReviewedDecisions.Should().Be(6);
        result.Overall.Interpretation.Should().Be("overconfident"); // gap −0.133 < −0.10
    }

    [Fact]
    public void Calculate_HandComputedSample_FillsTheFourBuckets()
    {
        var buckets = CalibrationCalculator.Calculate(Sample).ByConfidenceBucket;

        buckets.Select(b => b.Bucket).Should().Equal("0.9-1.0", "0.7-0.9", "0.5-0.7", "0.0-0.5");
        // Expected rates are CSTP's fixed table (0.95, 0.80, 0.60, 0.25); the members' mean confidence is kept beside it.
        buckets[0].Should().BeEquivalentTo(new { Decisions = 2, SuccessRate = 0.5, ExpectedRate = 0.95, MeanConfidence = 0.925, Gap = -0.45, Interpretation = "overconfident" });
        buckets[1].Should().BeEquivalentTo(new { Decisions = 2, SuccessRate = 0.75, ExpectedRate = 0.80, MeanConfidence = 0.775, Gap = -0.05, Interpretation = "well_calibrated" });
        buckets[2].Should().BeEquivalentTo(new { Decisions = 1, SuccessRate = 1.0, ExpectedRate = 0.60, MeanConfidence = 0.6, Gap = 0.4, Interpretation = "underconfident" });
        buckets[3].Should().BeEquivalentTo(new { Decisions = 1, SuccessRate = 0.0, ExpectedRate = 0.25, MeanConfidence = 0.3, Gap = -0.25 });
        buckets[1].DecisionIds.Should().Equal("c", "d");
    }

    [Fact]
    public void Calculate_FewerThanMinimumReviewed_OverallNullWithExplanation()
    {
        var result = CalibrationCalculator.Calculate([new("a", 0.9, "success"), new("b", 0.8, "failure"), new("c", 0.7, null)]);

        result.Overall.Should().BeNull();
        result.ByConfidenceBucket.Should().BeEmpty();
        result.Message.Should().Be("Calibration needs at least 3 reviewed decisions; 2 of 3 are reviewed.");
    }

    [Fact]
    public void Calculate_MinDecisionsOne_SingleDecisionIsEnough()
    {
        var result = CalibrationCalculator.Calculate([new("a", 0.8, "success")], minDecisions: 1);

        result.Overall!.BrierScore.Should().Be(0.04);
        result.Overall.CalibrationGap.Should().Be(0.2);
    }

    [Fact]
    public void CalculateGroups_GroupUnderThree_HasNullOverall()
    {
        var groups = CalibrationCalculator.CalculateGroups(Sample);

        groups.Select(g => g.Key).Should().Equal("x", "y", null);
        groups[0].Result.Overall!.BrierScore.Should().Be(0.284); // (0.0025 + 0.81 + 0.04) / 3 = 0.28417
        groups[0].Result.Overall!.Accuracy.Should().Be(0.667);
        groups[1].Result.Overall.Should().BeNull();
        groups[1].Result.Message.Should().Contain("2 of 2");
        groups[2].Result.Overall.Should().BeNull();
        groups[2].Result.Message.Should().Contain("1 of 2");
    }

    [Theory]
    [InlineData(1.0, "0.9-1.0")]
    [InlineData(0.9, "0.9-1.0")]
    [InlineData(0.8999, "0.7-0.9")]
    [InlineData(0.7, "0.7-0.9")]
    [InlineData(0.5, "0.5-0.7")]
    [InlineData(0.4999, "0.0-0.5")]
    [InlineData(0.0, "0.0-0.5")]
    public void BucketOf_Boundaries_LowerBoundInclusive(double confidence, string bucket) =>
        CalibrationCalculator.BucketOf(confidence).Should().Be(bucket);

    [Theory]
    [InlineData("success", 1.0)]
    [InlineData("partial", 0.5)]
    [InlineData("failure", 0.0)]
    [InlineData("abandoned", 0.0)]
    public void OutcomeScore_KnownOutcomes_ScoreAsCstp(string outcome, double score) =>
        CalibrationCalculator.OutcomeScore(outcome).Should().Be(score);

    [Fact]
    public void Calculate_PerfectConfidence_BrierZeroAndWellCalibrated()
    {
        var result = CalibrationCalculator.Calculate([new("a", 1.0, "success"), new("b", 1.0, "success"), new("c", 0.0, "failure")]);

        result.Overall!.BrierScore.Should().Be(0);
        result.Overall.Interpretation.Should().Be("well_calibrated");
    }

    [Theory]
    [InlineData(0.049, "well_calibrated")]
    [InlineData(-0.049, "well_calibrated")]
    [InlineData(0.05, "slightly_underconfident")]
    [InlineData(0.10, "slightly_underconfident")]
    [InlineData(0.101, "underconfident")]
    [InlineData(-0.05, "slightly_overconfident")]
    [InlineData(-0.10, "slightly_overconfident")]
    [InlineData(-0.101, "overconfident")]
    public void InterpretOverall_CstpThresholds(double gap, string words) =>
        CalibrationCalculator.InterpretOverall(gap).Should().Be(words);

    [Theory]
    [InlineData(0.099, "well_calibrated")]
    [InlineData(-0.099, "well_calibrated")]
    [InlineData(0.10, "underconfident")]
    [InlineData(-0.10, "overconfident")]
    public void InterpretBucket_CstpThresholds(double gap, string words) =>
        CalibrationCalculator.InterpretBucket(gap).Should().Be(words);
}
