using Attribution.Linking;

namespace Attribution.Tests.Linking;

public sealed class TouchScorerTests
{
    // Text evidence as from a 10-line session text: ratio r means round(10 r) lines found.
    private static TouchEvidence Evidence(double minutes, int intervening = 0, double? text = null, int shared = 1, int files = 1) =>
        new(TimeSpan.FromMinutes(minutes), intervening, text, shared, files, text is null ? 0 : (int)Math.Round(text.Value * 10));

    [Fact]
    public void Raw_EditFiveMinutesBeforeOnlyFileNoOtherSession_AtLeast07()
    {
        TouchScorer.Compete(TouchScorer.Raw(Evidence(5)), []).Should().BeGreaterThanOrEqualTo(0.7);
    }

    [Fact]
    public void Raw_TwentyHoursFirstTouchWithTextInDiff_AtLeast07()
    {
        TouchScorer.Raw(Evidence(20 * 60, text: 0.9)).Should().BeGreaterThanOrEqualTo(0.7);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(60)]
    [InlineData(72 * 60)]
    public void Compete_TwoSessionsWithEqualEvidence_EachBelowHalf(double minutes)
    {
        foreach (var text in new double?[] { null, 1.0 })
        {
            var raw = TouchScorer.Raw(Evidence(minutes, text: text));
            TouchScorer.Compete(raw, [raw]).Should().BeLessThan(0.5);
        }
    }

    [Theory]
    [InlineData(24 * 60)]
    [InlineData(72 * 60)]
    [InlineData(72 * 60 + 1)]
    [InlineData(10 * 24 * 60)]
    public void Raw_FileOverlapOnlyAfterLongDelay_BelowHalf(double minutes)
    {
        TouchScorer.Raw(Evidence(minutes)).Should().BeLessThan(0.5);
        TouchScorer.Raw(Evidence(minutes, text: 0.0)).Should().BeLessThan(0.5);
    }

    [Theory]
    [InlineData(0, 0.35)]
    [InlineData(10, 0.35)]
    [InlineData(24 * 60, 0.0)]
    [InlineData(72 * 60, 0.0)]
    public void Recency_AtBoundaries_HasExpectedWeight(double minutes, double expected)
    {
        TouchScorer.Recency(TimeSpan.FromMinutes(minutes)).Should().BeApproximately(expected, 1e-9);
    }

    [Fact]
    public void Recency_LongerDelay_NeverHigher()
    {
        var previous = double.MaxValue;
        for (var minutes = 0; minutes <= 72 * 60; minutes += 7)
        {
            var value = TouchScorer.Recency(TimeSpan.FromMinutes(minutes));
            value.Should().BeLessThanOrEqualTo(previous);
            previous = value;
        }
    }

    [Fact]
    public void Raw_InterveningCommits_LowerThanFirstTouch()
    {
        var first = TouchScorer.Raw(Evidence(30));
        var one = TouchScorer.Raw(Evidence(30, intervening: 1));
        var three = TouchScorer.Raw(Evidence(30, intervening: 3));

        one.Should().BeLessThan(first);
        three.Should().BeLessThan(one);
    }

    [Fact]
    public void Raw_LargerShareOfCommitFiles_Higher()
    {
        TouchScorer.Raw(Evidence(30, shared: 4, files: 4)).Should().BeGreaterThan(TouchScorer.Raw(Evidence(30, shared: 1, files: 4)));
    }

    [Fact]
    public void Raw_TextWrittenButAbsentFromDiff_LowerThanUnknown()
    {
        TouchScorer.Raw(Evidence(30, text: 0.0)).Should().BeLessThan(TouchScorer.Raw(Evidence(30)));
    }

    [Fact]
    public void Raw_TextInDiffAndFirstTouchDaysLater_Strong()
    {
        TouchScorer.Raw(Evidence(5 * 24 * 60, text: 0.8)).Should().BeGreaterThanOrEqualTo(0.6);
    }

    [Fact]
    public void Raw_EditWithContextLinesTwoNewLinesFound_FullTextWeight()
    {
        var evidence = new TouchEvidence(TimeSpan.FromHours(20), 0, 0.25, 1, 1, TextHits: 2);

        TouchScorer.Text(evidence).Should().Be(TouchScorer.TextWeight);
        TouchScorer.Raw(evidence).Should().BeGreaterThanOrEqualTo(0.7);
    }

    [Fact]
    public void Raw_SingleLineFound_PartialTextWeight()
    {
        TouchScorer.Text(new TouchEvidence(TimeSpan.FromHours(1), 0, 0.1, 1, 1, TextHits: 1)).Should().Be(TouchScorer.SingleLineWeight);
    }

    [Fact]
    public void Raw_NeverReachesCertainty()
    {
        TouchScorer.Raw(Evidence(0, text: 1.0)).Should().BeLessThan(1.0);
    }

    [Fact]
    public void Compete_StrongAgainstWeakCompetitor_StaysAboveHalf()
    {
        var strong = TouchScorer.Raw(Evidence(5, text: 1.0));
        var weak = TouchScorer.Raw(Evidence(48 * 60, intervening: 2, text: 0.0));

        TouchScorer.Compete(strong, [weak]).Should().BeGreaterThanOrEqualTo(0.7);
    }

    [Fact]
    public void QualifiesBeyondWindow_RequiresTextAndFirstTouch()
    {
        TouchScorer.QualifiesBeyondWindow(Evidence(5000, text: 0.9)).Should().BeTrue();
        TouchScorer.QualifiesBeyondWindow(Evidence(5000, text: 0.1)).Should().BeFalse();
        TouchScorer.QualifiesBeyondWindow(Evidence(5000, intervening: 1, text: 0.9)).Should().BeFalse();
        TouchScorer.QualifiesBeyondWindow(Evidence(5000)).Should().BeFalse();
    }
}
