using System.Text;
using Attribution.Sessions;
using Attribution.Sessions.ClaudeCode;
using Attribution.Store;

namespace Attribution.Tests.Sessions;

/// <summary>
/// The Claude Code reader reads some records without a document (<see cref="TranscriptParser.LightReads"/>): every
/// test here reads the same lines both ways and requires exactly the same sessions, events, usage, skips and warnings.
/// </summary>
public sealed class LightReadTests
{
    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(SessionHarness.Fixture("claude-code/minimal-write-commit.jsonl"))!, "*.jsonl"))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void FixtureTranscript_ReadsTheSameWithAndWithoutLightReads(string fixture)
    {
        var lines = File.ReadAllLines(SessionHarness.Fixture($"claude-code/{fixture}")).Select(Encoding.UTF8.GetBytes).ToList();

        var light = Read(lines, lightReads: true);
        var full = Read(lines, lightReads: false);

        light.Should().BeEquivalentTo(full, o => o.WithStrictOrdering());
        full.Sessions.Should().NotBeEmpty();
    }

    [Theory]
    [InlineData("""{"type":"progress","sessionId":"s1","cwd":"/w","gitBranch":"b","timestamp":"2026-01-01T00:00:00Z","data":{"x":[1,2,{"y":null}]}}""")]
    [InlineData("""{"sessionId":"s1","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"other","content":"x"}]},"type":"user","timestamp":"2026-01-01T00:00:01Z"}""")]
    [InlineData("""{"sessionId":"s1","type":"user","message":{"content":[{"tool_use_id":"t1","type":"tool_result","content":"done","is_error":false}]},"timestamp":"2026-01-01T00:00:02Z"}""")]
    [InlineData("""{"sessionId":"s1","type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"t1","tool_use_id":"t2","content":"x"}]}}""")]
    [InlineData("""{"sessionId":"s1","sessionId":"s2","type":"system","timestamp":"2026-01-01T00:00:03Z"}""")]
    [InlineData("""{"sessionId":"s1","type":"system","cwd":"/a","cwd":"/b"}""")]
    [InlineData("""{"sessionId":"s1","type":"system","message":{"content":[],"content":[{"type":"tool_result","tool_use_id":"t1"}]}}""")]
    [InlineData("""{"sessionId":"s1","type":7,"timestamp":"yesterday","cwd":3,"gitBranch":"HEAD"}""")]
    [InlineData("""{"sessionId":"s1","type":"system","timestamp":"2026-01-01 00:00:04"}""")]
    [InlineData("""{"sessionId":"","type":"system","timestamp":"2026-01-01T00:00:05Z"}""")]
    [InlineData("""{"type":"system","timestamp":"2026-01-01T00:00:06Z"}""")]
    [InlineData("""{"sessionId":"s1","type":"system"} trailing""")]
    [InlineData("""{"sessionId":"s1","type":"system",}""")]
    [InlineData("""[{"sessionId":"s1"}]""")]
    [InlineData("""{"sessionId":"s1","type":"summary","message":"not an object","timestamp":"2026-01-01T00:00:07+02:00"}""")]
    [InlineData("""{"sessionId":"s1","message":{"role":{"nested":["assistant"]},"content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"}]},"type":"user"}""")]
    [InlineData("""{"sessionId":"s1","message":{"role":"assistant","content":[{"type":"text","text":"hi"}]},"type":"user","cwd":"/x"}""")]
    [InlineData("""{"sessionId":"s\u0031","type":"us\u0065r","message":{"content":[{"type":"tool_result","tool_use_id":"t\u0031"}]}}""")]
    public void EdgeRecord_AfterAWaitingCall_ReadsTheSameBothWays(string record)
    {
        // A Bash call t1 waits for its result, then the record under test.
        var call = """{"sessionId":"s1","type":"assistant","timestamp":"2026-01-01T00:00:00Z","uuid":"u1","message":{"id":"m1","model":"claude-sonnet-4-5","usage":{"input_tokens":1,"output_tokens":2},"content":[{"type":"tool_use","id":"t1","name":"Bash","input":{"command":"git status"}}]}}""";
        byte[][] lines = [Encoding.UTF8.GetBytes(call), Encoding.UTF8.GetBytes(record)];

        Read(lines, lightReads: true).Should().BeEquivalentTo(Read(lines, lightReads: false), o => o.WithStrictOrdering());
    }

    [Fact]
    public void RecordWithInvalidUtf8InAField_ReadsTheSameBothWays()
    {
        byte[] record = [.. Encoding.UTF8.GetBytes("{\"sessionId\":\"s1\",\"type\":\"system\",\"cwd\":\"/w"), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")];

        Read([record], lightReads: true).Should().BeEquivalentTo(Read([record], lightReads: false), o => o.WithStrictOrdering());
    }

    [Fact]
    public void RecordNestedDeeperThanTheLimit_IsSkippedBothWays()
    {
        var deep = Encoding.UTF8.GetBytes("""{"sessionId":"s1","type":"system","x":""" + new string('[', 80) + new string(']', 80) + "}");

        var light = Read([deep], lightReads: true);

        light.Should().BeEquivalentTo(Read([deep], lightReads: false));
        light.SkippedLines.Should().Be(1);
    }

    private static Outcome Read(IReadOnlyList<byte[]> lines, bool lightReads)
    {
        var parser = new ClaudeCodeParser(new RepoPaths()) { LightReads = lightReads };
        var batch = new TranscriptBatch("test");
        for (var i = 0; i < lines.Count; i++)
        {
            parser.ParseLine(lines[i], i + 1, i * 1000L, batch);
        }

        var pending = parser.OldestPending();
        parser.Complete(batch);
        return new Outcome(
            batch.Sessions.Values.OrderBy(s => s.SessionId, StringComparer.Ordinal).ToList(),
            batch.SkippedLines,
            [.. batch.Warnings],
            pending);
    }

    private sealed record Outcome(IReadOnlyList<SessionDraft> Sessions, int SkippedLines, IReadOnlyList<string> Warnings, ResumePoint? Pending);
}
