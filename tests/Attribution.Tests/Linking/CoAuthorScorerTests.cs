using Attribution.Linking;

namespace Attribution.Tests.Linking;

public sealed class CoAuthorScorerTests
{
    [Theory]
    [InlineData(1, false, false, 0.85)]
    [InlineData(1, true, false, 0.9)]
    [InlineData(2, true, false, 0.8)]
    [InlineData(2, true, true, 0.6)]
    [InlineData(3, false, false, 0.6)]
    public void Score_Candidates_InContractRange(int active, bool edited, bool otherEdited, double expected)
    {
        CoAuthorScorer.Score(active, edited, otherEdited).Should().Be(expected);
    }

    [Fact]
    public void Score_OnlyOtherCandidateEditedFiles_NoLink()
    {
        CoAuthorScorer.Score(2, false, true).Should().BeNull();
    }

    [Fact]
    public void Score_NoActiveSession_NoLink()
    {
        CoAuthorScorer.Score(0, false, false).Should().BeNull();
    }
}
