using System.Globalization;
using System.Text;
using Attribution.Tests.Infrastructure;
using Dapper;

namespace Attribution.Tests.Sessions;

/// <summary>
/// A transcript longer than one commit's worth (16 MiB) is saved in parts. A run stopped after a part was saved (a kill,
/// a shutdown) leaves a position the next run reads on from: the rest of the file is stored, the same as a clean run.
/// </summary>
public sealed class InterruptedIngestTests
{
    private const string Session = "long-session";

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task StoppedAfterAPartWasSaved_NextRunStoresTheRest(string provider)
    {
        await using var clean = await SessionHarness.CreateAsync(provider);
        await using var stopped = await SessionHarness.CreateAsync(provider);
        var file = Path.Combine(stopped.Folder, "long.jsonl");
        var commits = await WriteLongTranscriptAsync(file, 40L * 1024 * 1024);
        await clean.IngestAsync(file);

        // The run dies after its first part is committed: every later save (parts past 20 MiB, the end) fails in the
        // database, rolling back that part's rows and position, as a kill between two parts leaves them.
        await DieAfterFirstPartAsync(stopped, provider, create: true);
        var interrupted = async () => await stopped.IngestAsync(file);
        await interrupted.Should().ThrowAsync<Exception>();
        await DieAfterFirstPartAsync(stopped, provider, create: false);
        await using (var c = await stopped.Database.Connections.OpenAsync(CancellationToken.None))
        {
            (await c.ExecuteScalarAsync<long>("SELECT byte_offset FROM session_files WHERE path = @file", new { file })).Should().BeInRange(1, FirstPartLimit);
        }

        await stopped.IngestAsync(file);

        (await CountsAsync(clean)).Should().Be((1L, commits * 2L), "a clean run stores one shell and one commit event per call");
        (await CountsAsync(stopped)).Should().Be(await CountsAsync(clean));
        (await stopped.EventsAsync(Session, "commit")).Select(e => e.Sha).Should().BeEquivalentTo((await clean.EventsAsync(Session, "commit")).Select(e => e.Sha));
        (await stopped.IngestAsync(file)).FilesRead.Should().Be(0, "the file is read to its end");
    }

    private const long FirstPartLimit = 20L * 1024 * 1024;

    private static async Task DieAfterFirstPartAsync(SessionHarness h, string provider, bool create)
    {
        await using var c = await h.Database.Connections.OpenAsync(CancellationToken.None);
        if (provider == TestProviders.Sqlite)
        {
            await c.ExecuteAsync(create
                ? $"CREATE TRIGGER die_after_first_part BEFORE INSERT ON session_files WHEN NEW.byte_offset > {FirstPartLimit} BEGIN SELECT RAISE(ABORT, 'killed'); END"
                : "DROP TRIGGER die_after_first_part");
            return;
        }

        await c.ExecuteAsync(create
            ? $"""
              CREATE FUNCTION die_after_first_part() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN IF NEW.byte_offset > {FirstPartLimit} THEN RAISE EXCEPTION 'killed'; END IF; RETURN NEW; END $$;
              CREATE TRIGGER die_after_first_part BEFORE INSERT OR UPDATE ON session_files FOR EACH ROW EXECUTE FUNCTION die_after_first_part();
              """
            : "DROP TRIGGER die_after_first_part ON session_files; DROP FUNCTION die_after_first_part();");
    }

    private static async Task<(long Sessions, long Events)> CountsAsync(SessionHarness h)
    {
        await using var c = await h.Database.Connections.OpenAsync(CancellationToken.None);
        return (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM sessions"), await c.ExecuteScalarAsync<long>("SELECT count(*) FROM session_events"));
    }

    /// <summary>A Claude Code transcript of about <paramref name="bytes"/>: git commit calls and their results between long user lines.</summary>
    internal static async Task<int> WriteLongTranscriptAsync(string file, long bytes)
    {
        var filler = new string('x', 1000);
        await using var writer = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 20);
        var start = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        await writer.WriteLineAsync($$$"""{"type":"user","timestamp":"{{{Ts(start)}}}","sessionId":"{{{Session}}}","cwd":"/project","gitBranch":"main","message":{"role":"user","content":"start"},"uuid":"u-start"}""");
        var call = 0;
        for (var i = 0; writer.BaseStream.Length < bytes; i++)
        {
            var at = start.AddSeconds(i);
            if (i % 40 == 0)
            {
                call++;
                var sha = call.ToString("x7", CultureInfo.InvariantCulture);
                await writer.WriteLineAsync($$$"""{"type":"assistant","timestamp":"{{{Ts(at)}}}","sessionId":"{{{Session}}}","message":{"role":"assistant","content":[{"type":"tool_use","id":"toolu_{{{call}}}","name":"Bash","input":{"command":"git commit -am 'c{{{call}}}'"}}]},"uuid":"a-{{{call}}}"}""");
                await writer.WriteLineAsync($$$"""{"type":"user","timestamp":"{{{Ts(at)}}}","sessionId":"{{{Session}}}","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_{{{call}}}","content":"[main {{{sha}}}] c{{{call}}}"}]},"uuid":"r-{{{call}}}"}""");
            }

            await writer.WriteLineAsync($$$"""{"type":"user","timestamp":"{{{Ts(at)}}}","sessionId":"{{{Session}}}","message":{"role":"user","content":"{{{filler}}}"},"uuid":"f-{{{i}}}"}""");
        }

        return call;
    }

    private static string Ts(DateTimeOffset at) => at.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
