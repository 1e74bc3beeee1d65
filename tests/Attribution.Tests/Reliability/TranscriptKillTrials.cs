using System.Diagnostics;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Sessions;
using Dapper;

namespace Attribution.Tests.Reliability;

/// <summary>
/// <c>ingest sessions</c> of a 40 MB transcript (three parts of 16 MiB), SIGKILLed at a random point after its first part
/// was committed (0–60 ms after the position first appears in the database; the rest of the file is read in about 100 ms), then run again to the end: sessions and events equal a clean run's, in every trial. A measurement (ATTRIBUTION_BENCH=1; trials:
/// ATTRIBUTION_KILL_TRIALS, default 10); figures in docs/reliability.md.
/// </summary>
public sealed class TranscriptKillTrials
{
    [BenchFact]
    public async Task KilledAtRandomPoints_RerunEqualsACleanRun()
    {
        var trials = int.TryParse(Environment.GetEnvironmentVariable("ATTRIBUTION_KILL_TRIALS"), out var t) && t > 0 ? t : 10;
        var folder = Directory.CreateTempSubdirectory("attribution-kill").FullName;
        var file = Path.Combine(folder, "long.jsonl");
        await InterruptedIngestTests.WriteLongTranscriptAsync(file, 40L * 1024 * 1024);

        await using var clean = await TestDatabase.CreateAsync(TestProviders.Sqlite);
        var watch = Stopwatch.StartNew();
        (await RunAsync(clean, file, killAfter: null)).Should().Be(0);
        var cleanDuration = watch.Elapsed;
        var expected = await CountsAsync(clean);

        var random = new Random(20261204);
        var lines = new List<string>();
        var equal = 0;
        for (var trial = 1; trial <= trials; trial++)
        {
            await using var db = await TestDatabase.CreateAsync(TestProviders.Sqlite);
            var killAfter = TimeSpan.FromMilliseconds(random.Next(0, 60));
            var killed = await RunAsync(db, file, killAfter);
            var afterKill = await CountsAsync(db);
            (await RunAsync(db, file, killAfter: null)).Should().Be(0);
            var final = await CountsAsync(db);
            equal += final == expected ? 1 : 0;
            lines.Add($"trial {trial}: killed {killAfter.TotalMilliseconds:0} ms after a part was saved (exit {killed}), {afterKill.Events} events stored then; after the rerun {final.Sessions} sessions / {final.Events} events");
        }

        var report = $"40 MB transcript, clean run {cleanDuration.TotalSeconds:0.0} s, {expected.Sessions} sessions / {expected.Events} events; equal after kill + rerun: {equal} of {trials}\n" + string.Join('\n', lines);
        Console.WriteLine(report);
        if (Environment.GetEnvironmentVariable("ATTRIBUTION_BURST_REPORT") is { Length: > 0 } path)
        {
            await File.AppendAllTextAsync(path, report + Environment.NewLine);
        }

        equal.Should().Be(trials, report);
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>
    /// Runs <c>ingest sessions</c> as a child process; with <paramref name="killAfter"/>, SIGKILLs it that long after the file's
    /// position first shows in the database (-9; its exit code when it ended first).
    /// </summary>
    private static async Task<int> RunAsync(TestDatabase database, string file, TimeSpan? killAfter)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "attribution.dll"));
        foreach (var arg in new[] { "ingest", "sessions", file, "--repo", "acme/app" }.Concat(database.Settings.Select(s => $"--{s.Key}={s.Value}")))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ATTRIBUTION_WATCH_SESSIONS"] = "false";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (killAfter is { } delay)
        {
            while (!process.HasExited && await PositionAsync(database, file) is null)
            {
                await Task.Delay(5);
            }

            if (!process.WaitForExit(delay))
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                return -9;
            }
        }

        await process.WaitForExitAsync();
        await Task.WhenAll(output, errors);
        return process.ExitCode;
    }

    private static async Task<long?> PositionAsync(TestDatabase database, string file)
    {
        try
        {
            await using var c = await database.Connections.OpenAsync(CancellationToken.None);
            return await c.ExecuteScalarAsync<long?>("SELECT byte_offset FROM session_files WHERE path = @file", new { file });
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // The child holds the write lock or the schema is not there yet.
            return null;
        }
    }

    private static async Task<(long Sessions, long Events)> CountsAsync(TestDatabase database)
    {
        await using var c = await database.Connections.OpenAsync(CancellationToken.None);
        return (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM sessions"), await c.ExecuteScalarAsync<long>("SELECT count(*) FROM session_events"));
    }
}
