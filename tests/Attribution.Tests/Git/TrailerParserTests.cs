using System.Diagnostics;
using System.Text;
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

    public static TheoryData<string> GitCases() => new()
    {
        "fix: x\n\nfix: this is the body\nhttps://example.com/issue/1\n\nmore prose",
        "feat: y\n\nfix: body line\n\nCo-Authored-By: Claude <noreply@anthropic.com>",
        "s\n\nSee https://example.com/a for details.\nCo-Authored-By: Claude <noreply@anthropic.com>",
        "s\n\nSigned-off-by: A <a@b>\nsome prose in the block\nmore prose\nReviewed-by: B <b@c>",
        "s\n\nSigned-off-by: A <a@b>\none\ntwo\nthree\nfour\nfive",
        "s\n\nKey : spaced separator\nOther-Key:no space\n  folded\n\tand tabbed",
        "s\n\nbody\n\n# a comment line\nAcked-by: X <x@y>\n# trailing comment\n\n\n",
        "s\n\nNot a key: because of the space\nKey: v",
        "s\n\n:starts with colon\nKey: v",
        "s\n\n-dash-key: v\nx-y-z: w",
        "subject: with colon\nsecond title line: also\n\nA: 1\nB: 2",
        "s\n\n  leading continuation\nA: 1",
        "s\n\nA: 1\nprose\n  indented prose continuation\nB: 2",
        "s\n\n(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)\nChange-Id: I1",
        "s\r\n\r\nReviewed-by: X <x@y>\r\nEntire-Checkpoint: 1a2b\r\n",
        "Fixes: only a title",
        "s\n\nEmpty-Value:\nÄ-Key: not ascii",
        "s\n\n\n\nA: after several blank lines",
    };

    [Theory]
    [MemberData(nameof(GitCases))]
    public void Parse_AgreesWithGitInterpretTrailers(string message)
    {
        var expected = GitInterpretTrailers(message);

        TrailerParser.Parse(message).Select(t => $"{t.Key}: {t.Value}").Should().Equal(expected, $"git interpret-trailers --parse reads {message}");
    }

    [Fact]
    public void Parse_ColonLinesInTheBody_AreNotTrailers()
    {
        var trailers = TrailerParser.Parse("feat: z\n\nfix: handle the empty case\nhttps://example.com/docs\n\nCo-Authored-By: Codex <noreply@openai.com>");

        trailers.Should().Equal([new KeyValuePair<string, string>("Co-Authored-By", "Codex <noreply@openai.com>")]);
    }

    [Fact]
    public void Parse_HugeMessages_Linear()
    {
        // One trailer folded over 200,000 continuation lines, and a body of 1,000,000 colon lines: the old parser rebuilt
        // the value per continuation line (1.2 MB took 55 s). A linear pass reads both in well under the budget.
        var folded = "s\n\nKey: v\n" + string.Concat(Enumerable.Repeat("  more\n", 200_000));
        var colons = "s\n\n" + string.Concat(Enumerable.Repeat("a:\n", 1_000_000));
        var watch = Stopwatch.StartNew();

        TrailerParser.Parse(folded).Should().ContainSingle().Which.Value.Length.Should().Be(1 + (200_000 * 5));
        TrailerParser.Parse(colons).Should().HaveCount(1_000_000);

        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    private static List<string> GitInterpretTrailers(string message)
    {
        var start = new ProcessStartInfo("git", "interpret-trailers --parse")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        using var git = Process.Start(start)!;
        git.StandardInput.Write(message);
        git.StandardInput.Close();
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        git.ExitCode.Should().Be(0);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
