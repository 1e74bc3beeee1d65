using System.Text;
using Attribution.Sessions;
using Attribution.Sessions.ClaudeCode;
using Attribution.Store;

namespace Attribution.Tests.Sessions;

public sealed class TranscriptParserTests
{
    [Fact]
    public void OldestPending_CallsWaitingForResults_IsTheOldestUntilItsResultIsRead()
    {
        // Line 3 writes a file (result on line 4), line 5 commits (result on line 6); line n starts at byte 1000 n.
        var lines = File.ReadAllLines(SessionHarness.Fixture("claude-code/minimal-write-commit.jsonl"));
        var parser = new ClaudeCodeParser(new RepoPaths());
        var batch = new TranscriptBatch("test");
        var seen = new List<ResumePoint?>();
        for (var n = 1; n <= 6; n++)
        {
            parser.ParseLine(Encoding.UTF8.GetBytes(lines[n - 1]), n, 1000 * n, batch);
            seen.Add(parser.OldestPending());
        }

        seen.Should().Equal(null, null, new ResumePoint(3, 3000), null, new ResumePoint(5, 5000), null);
    }
}
