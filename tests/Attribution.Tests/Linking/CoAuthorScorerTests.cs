using Attribution.Linking;

namespace Attribution.Tests.Linking;

public sealed class CoAuthorScorerTests
{
    [Theory]
    [InlineData(1, 0.6, false, 0.8)]
    [InlineData(2, 0.6, false, 0.8)]
    [InlineData(2, 0.6, true, 0.68)]
    [InlineData(1, 0.02, false, 0.51)]
    public void Score_TiedSession_TrailerStrengthensTheTie(int active, double touch, bool otherTied, double expected)
    {
        CoAuthorScorer.Score(active, touch, otherTied).Should().Be(expected);
    }

    [Theory]
    [InlineData(1, 0.3)]
    [InlineData(3, 0.15)]
    public void Score_ActivityAlone_StaysBelowThreshold(int active, double expected)
    {
        var score = CoAuthorScorer.Score(active, null, false);
        score.Should().Be(expected);
        score.Should().BeLessThan(CoAuthorScorer.ActivityOnlyCeiling);
    }

    [Fact]
    public void Score_OnlyOtherCandidateTied_NoLink()
    {
        CoAuthorScorer.Score(2, null, true).Should().BeNull();
    }

    [Fact]
    public void Score_NoActiveSession_NoLink()
    {
        CoAuthorScorer.Score(0, 0.9, false).Should().BeNull();
    }
}
