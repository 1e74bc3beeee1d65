using Attribution.Git;

namespace Attribution.Tests.Git;

public sealed class TrailerParserTests
{
    [Fact]
    public void Parse_LastParagraphOfTrailers_ReturnsThemInOrder()
    {
        var trailers = TrailerParser.Parse("feat: x\n\nBody line.\n\nCo-Authored-By: Claude <noreply@anthropic.com>\nClaude-Session: https://claude.ai/code/session_01AB\n");

        trailers.Should().Equal(
            new KeyValuePair<string, string>("Co-Authored-By", "Claude <noreply@anthropic.com>"),
            new KeyValuePair<string, string>("Claude-Session", "https://claude.ai/code/session_01AB"));
    }

    [Fact]
    public void Parse_SubjectOnly_NoTrailers()
    {
        TrailerParser.Parse("Fixes: something in the subject").Should().BeEmpty();
    }

    [Fact]
    public void Parse_LastParagraphIsProse_NoTrailers()
    {
        TrailerParser.Parse("subject\n\nThis paragraph explains: a lot of things\nand continues here\nwithout trailers").Should().BeEmpty();
    }

    [Fact]
    public void Parse_ContinuationLine_JoinedToPreviousValue()
    {
        TrailerParser.Parse("s\n\nAgents-Attribution: abc\n  def\nSigned-off-by: A <a@b>").Should().Equal(
            new KeyValuePair<string, string>("Agents-Attribution", "abc def"),
            new KeyValuePair<string, string>("Signed-off-by", "A <a@b>"));
    }

    [Fact]
    public void Parse_CrLfLineEndings_Parsed()
    {
        TrailerParser.Parse("s\r\n\r\nReviewed-by: X <x@y>\r\n").Should().ContainSingle().Which.Key.Should().Be("Reviewed-by");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \n\n  ")]
    public void Parse_Empty_NoTrailers(string? message)
    {
        TrailerParser.Parse(message).Should().BeEmpty();
    }

    [Theory]
    [InlineData("Revert \"x\"\n\nThis reverts commit 0123456789ABCDEF0123456789abcdef01234567.", "0123456789abcdef0123456789abcdef01234567")]
    [InlineData("Revert\n\nThis reverts commit abc1234.", "abc1234")]
    [InlineData("Reverting things by hand", null)]
    public void RevertedSha_Message_ReturnsNamedSha(string message, string? expected)
    {
        TrailerParser.RevertedSha(message).Should().Be(expected);
    }
}
