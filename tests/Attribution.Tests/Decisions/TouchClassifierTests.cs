using Attribution.Decisions.Outcomes;

namespace Attribution.Tests.Decisions;

public sealed class TouchClassifierTests
{
    private static readonly string[] Own = ["abc123d" + new string('0', 33)];

    [Theory]
    [InlineData("Fix crash on empty cart", "fix")]
    [InlineData("hotfix: null user", "fix")]
    [InlineData("Handle regression in totals", "fix")]
    [InlineData("BUG 12: wrong sum", "fix")]
    [InlineData("Fixes #41", "fix")]
    [InlineData("Add prefix handling", "other")]
    [InlineData("Debugging output", "other")]
    [InlineData("Patchwork quilt feature", "other")]
    public void Classify_Subject_FixWordsOnlyAsWords(string subject, string expected) =>
        TouchClassifier.Classify(subject, null, Own).Should().Be(expected);

    [Fact]
    public void Classify_RevertOfOwnCommit_Revert() =>
        TouchClassifier.Classify("Revert \"Compute totals\"", "abc123d", Own).Should().Be("revert");

    [Fact]
    public void Classify_RevertOfOtherCommit_NotCountedAgainstDecision() =>
        TouchClassifier.Classify("Revert \"Something else\"", "fff0000", Own).Should().Be("other");
}
