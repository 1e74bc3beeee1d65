using System.Text;
using Attribution.Sessions;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Sessions;

public sealed class HostileInputTests
{
    private const string Minimal = "test-session-id";

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task BinaryGarbage_BetweenRecords_SkippedWithWarningsRestIngested(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        var lines = await File.ReadAllLinesAsync(SessionHarness.Fixture("claude-code/minimal-write-commit.jsonl"));
        var file = Path.Combine(h.Folder, "garbage.jsonl");
        await using (var stream = File.Create(file))
        {
            var random = new Random(42);
            var garbage = new byte[5000];
            random.NextBytes(garbage);
            for (var i = 0; i < garbage.Length; i++)
            {
                garbage[i] = garbage[i] == (byte)'\n' ? (byte)0 : garbage[i];
            }

            await stream.WriteAsync(Encoding.UTF8.GetBytes(string.Join('\n', lines[..4]) + "\n"));
            await stream.WriteAsync(garbage);
            await stream.WriteAsync(Encoding.UTF8.GetBytes("\n" + string.Join('\n', lines[4..]) + "\n"));
        }

        var summary = await h.IngestAsync(file);

        summary.SkippedLines.Should().Be(1);
        summary.Warnings.Should().ContainSingle().Which.Should().StartWith($"{file}:5: not valid JSON");
        (await h.EventsAsync(Minimal, "commit")).Should().ContainSingle().Which.Sha.Should().Be("abc1234");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task NulCharacters_InCommandAndOutput_StoredAsReplacementCharacterOnEveryDialect(string provider)
    {
        // Real: a Codex session read git's pkt-line output back ("capabilities^{}\u0000report-status"); PostgreSQL refuses
        // U+0000 in text, and the whole ingest of that repository failed there.
        await using var h = await SessionHarness.CreateAsync(provider);
        var file = Path.Combine(h.Folder, "nul.jsonl");
        await File.WriteAllTextAsync(file, """
            {"type":"assistant","sessionId":"nul-1","cwd":"/work/app","timestamp":"2026-01-01T00:00:00Z","uuid":"u1","message":{"id":"m1","model":"claude-sonnet-4-5","content":[{"type":"tool_use","id":"t1","name":"Bash","input":{"command":"git receive-pack \u0000 probe"}}],"usage":{"input_tokens":1,"output_tokens":1}}}
            {"type":"user","sessionId":"nul-1","cwd":"/work/app","timestamp":"2026-01-01T00:00:01Z","uuid":"u2","message":{"content":[{"type":"tool_result","tool_use_id":"t1","content":"capabilities^{}\u0000report-status"}]}}

            """);

        var summary = await h.IngestAsync(file);

        summary.Warnings.Should().BeEmpty();
        var shell = (await h.EventsAsync("nul-1", "shell")).Should().ContainSingle().Subject;
        shell.Command.Should().Be("git receive-pack \uFFFD probe");
        shell.OutputExcerpt.Should().Be("capabilities^{}\uFFFDreport-status");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task SeveralObjectsOnOneLine_ReadOnlyWhenAllAreWholeAndAtMostTheCap(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        var file = h.Copy("claude-code/minimal-write-commit.jsonl");
        const string record = "{\"sessionId\":\"test-session-id\",\"type\":\"system\",\"timestamp\":\"2030-01-01T00:00:00Z\"}";
        await File.AppendAllTextAsync(file,
            record + "{\"sessionId\":" + "\n"                                                      // an object cut short after a whole one
            + record + " 42\n"                                                                     // a whole object, then a number
            + string.Concat(Enumerable.Repeat(record, TranscriptParser.MaxRecordsPerLine + 1)) + "\n" // one object too many
            + string.Concat(Enumerable.Repeat(record, 2)).Replace("2030", "2031", StringComparison.Ordinal) + "\n");

        var summary = await h.IngestAsync(file);

        summary.SkippedLines.Should().Be(3);
        (await h.SessionAsync(Minimal)).EndedTs.Should().Be(DateTimeOffset.Parse("2031-01-01T00:00:00Z"));
        (await h.EventsAsync(Minimal, "commit")).Should().ContainSingle();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task DeeplyNestedJson_SkippedWithWarning(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        var file = h.Copy("claude-code/minimal-write-commit.jsonl");
        await File.AppendAllTextAsync(file, new string('[', 100_000) + new string(']', 100_000) + "\n"
            + "{\"sessionId\":\"test-session-id\",\"type\":\"user\",\"message\":" + new string('[', 5000) + new string(']', 5000) + "}\n");

        var summary = await h.IngestAsync(file);

        summary.SkippedLines.Should().Be(2);
        summary.Warnings.Select(w => w[..w.IndexOf(": ", StringComparison.Ordinal)]).Should().Equal($"{file}:9", $"{file}:10");
        (await h.EventsAsync(Minimal, "commit")).Should().ContainSingle();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task WrongTypesInKnownFields_IgnoredFieldByField(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        var file = Path.Combine(h.Folder, "types.jsonl");
        await File.WriteAllTextAsync(file, """
            {"type":"assistant","sessionId":"typed","timestamp":12345,"uuid":["x"],"message":{"id":7,"model":{"a":1},"usage":"lots","content":"text"}}
            {"type":"assistant","sessionId":"typed","timestamp":"2026-01-01T00:00:00Z","uuid":"u1","message":{"id":"m1","model":"claude-sonnet-4-5","usage":{"input_tokens":"10","output_tokens":-5,"cache_read_input_tokens":1e30},"content":[{"type":"tool_use","id":"t1","name":"Bash","input":{"command":["git","commit"]}},{"type":"tool_use","id":"t2","name":"Edit","input":{"file_path":42,"new_string":"x"}}]}}
            {"type":"user","sessionId":"typed","timestamp":"2026-01-01T00:00:01Z","message":{"content":[{"type":"tool_result","tool_use_id":{"id":1},"content":5}]}}
            {"type":"user","sessionId":{"nested":true},"message":null}
            ["an","array"]
            "a string"
            {"type":"assistant","sessionId":"typed","timestamp":"2026-01-01T00:00:02Z","uuid":"u2","message":{"id":"m2","model":"claude-sonnet-4-5","usage":{"input_tokens":100,"output_tokens":10},"content":[]}}

            """);

        var summary = await h.IngestAsync(file);

        summary.SkippedLines.Should().Be(2); // the array and the string
        var s = await h.SessionAsync("typed");
        (s.InputTokens, s.OutputTokens, s.CacheReadTokens, s.Model).Should().Be((100L, 10L, 0L, "claude-sonnet-4-5"));
        (s.StartedTs, s.EndedTs).Should().Be((DateTimeOffset.Parse("2026-01-01T00:00:00Z"), DateTimeOffset.Parse("2026-01-01T00:00:02Z")));
        (await h.EventsAsync("typed")).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task FileDeletedAfterIngest_StoredSessionKept(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        var file = h.Copy("claude-code/minimal-write-commit.jsonl");
        await h.IngestAsync(h.Folder);

        File.Delete(file);
        var summary = await h.IngestAsync(h.Folder);

        summary.Files.Should().Be(0);
        (await h.EventsAsync(Minimal, "commit")).Should().ContainSingle();
    }

    [Fact]
    public async Task LineReader_FileGrowsWhileRead_ReadsOnlyUpToSizeSeenAtStart()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");
        await using var stream = new MemoryStream(bytes);
        var reader = new JsonlLineReader(stream, 0, 12, 1024);

        var first = await reader.ReadAsync(CancellationToken.None);
        var firstText = Encoding.UTF8.GetString(first.Text.Span);
        var second = await reader.ReadAsync(CancellationToken.None);

        (first.Status, firstText, first.EndOffset).Should().Be((LineStatus.Line, "{\"a\":1}", 8L));
        (second.Status, second.StartOffset, second.EndOffset).Should().Be((LineStatus.Incomplete, 8L, 12L));
    }

    [Fact]
    public async Task LineReader_CrLfAndLongLinesAcrossBuffer_SplitsExactly()
    {
        var longLine = new string('x', 200_000);
        var bytes = Encoding.UTF8.GetBytes($"a\r\n{longLine}\nb\n");
        await using var stream = new MemoryStream(bytes);
        var reader = new JsonlLineReader(stream, 0, bytes.Length, 100_000);

        var lines = new List<(LineStatus, string)>();
        for (var read = await reader.ReadAsync(CancellationToken.None); read.Status != LineStatus.End; read = await reader.ReadAsync(CancellationToken.None))
        {
            lines.Add((read.Status, Encoding.UTF8.GetString(read.Text.Span)));
        }

        lines.Should().Equal((LineStatus.Line, "a"), (LineStatus.Oversized, ""), (LineStatus.Line, "b"));
    }
}
