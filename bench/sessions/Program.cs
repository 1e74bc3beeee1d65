// Session ingest benchmark: builds a corpus from the fixture transcripts (re-keyed copies), then measures
// (1) a baseline that only splits lines and parses each with System.Text.Json and (2) the full ingest into a
// fresh SQLite database, in the same run, in rounds (medians reported). Usage:
// dotnet run -c Release -- [corpus MB, default 150] [fixtures folder or -] [single or -] [rounds, default 3]
// ("single" writes all Claude Code copies into one file, to check memory when one file is the whole corpus).
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Attribution.Hosting;
using Attribution.Sessions;
using Attribution.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Attribution.Common;

var targetMb = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 150;
var fixtures = args.Length > 1 && args[1] != "-" ? args[1] : FindFixtures();
var single = args.Length > 2 && args[2] == "single";
var repeat = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
var work = Directory.CreateTempSubdirectory("attribution-bench-sessions-").FullName;
try
{
    var corpus = Path.Combine(work, "corpus");
    var (files, bytes) = BuildCorpus(fixtures, corpus, targetMb * 1024L * 1024, single);
    Console.WriteLine($"corpus: {files} files, {bytes / 1048576.0:F1} MB in {corpus}");

    // Warm-up (JIT tiering, Dapper's IL generation, the OS file cache): one unmeasured pass of every phase over the
    // whole corpus. The fixtures alone (under 1 MB) are too little for tiering to finish: the baseline, measured
    // first, then ran partly unoptimised while the ingest measured after it did not (up to 2x apart).
    await BaselineAsync(corpus);
    await ParseOnlyAsync(corpus);

    var parseOnly = await MeasureAsync(() => ParseOnlyAsync(corpus));
    Console.WriteLine($"parse only (readers, no store): {parseOnly.Seconds:F2} s, {bytes / 1048576.0 / parseOnly.Seconds:F1} MB/s, {parseOnly.Result:N0} events, cpu {parseOnly.CpuSeconds:F2} s");

    DapperSetup.Configure();
    await using (var warm = await IngestorAsync(Path.Combine(work, "warm-up.db")))
    {
        await warm.Ingestor.IngestAsync([corpus], null, null, CancellationToken.None);
    }

    // Rounds of baseline then ingest (each into a fresh database), so both see the same moments of a shared
    // machine; the medians are the figures (single runs of either swung up to 1.7x on an idle machine, mostly GC).
    var rounds = new List<(double BaseWall, double BaseCpu, double IngestWall, double IngestCpu)>();
    long peak = 0;
    BenchIngestor? last = null;
    for (var round = 1; round <= repeat; round++)
    {
        var baseline = await MeasureAsync(() => BaselineAsync(corpus));
        Console.WriteLine($"round {round} baseline (split + JsonDocument.Parse per line): {baseline.Seconds:F2} s, {bytes / 1048576.0 / baseline.Seconds:F1} MB/s, {baseline.Result:N0} lines, cpu {baseline.CpuSeconds:F2} s");
        if (last is not null)
        {
            await last.DisposeAsync();
        }

        last = await IngestorAsync(Path.Combine(work, $"bench-{round}.db"));
        var ingestor = last.Ingestor;
        using var sampler = new PeakSampler();
        var ingest = await MeasureAsync(async () => await ingestor.IngestAsync([corpus], null, null, CancellationToken.None));
        peak = Math.Max(peak, sampler.Stop());
        var summary = ingest.Result;
        Console.WriteLine($"round {round} ingest: {ingest.Seconds:F2} s, {bytes / 1048576.0 / ingest.Seconds:F1} MB/s, sessions {summary.SessionsNew}, events {summary.Events}, skipped {summary.SkippedLines}, cpu {ingest.CpuSeconds:F2} s");
        Console.WriteLine($"round {round} ratio ingest/baseline speed: wall {baseline.Seconds / ingest.Seconds:F2}, cpu {baseline.CpuSeconds / ingest.CpuSeconds:F2}");
        rounds.Add((baseline.Seconds, baseline.CpuSeconds, ingest.Seconds, ingest.CpuSeconds));
    }

    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    var (baseWall, baseCpu) = (Median(rounds.Select(r => r.BaseWall)), Median(rounds.Select(r => r.BaseCpu)));
    var (ingestWall, ingestCpu) = (Median(rounds.Select(r => r.IngestWall)), Median(rounds.Select(r => r.IngestCpu)));
    Console.WriteLine($"median of {repeat} rounds: baseline {baseWall:F2} s (cpu {baseCpu:F2} s), ingest {ingestWall:F2} s (cpu {ingestCpu:F2} s), {bytes / 1048576.0 / ingestWall:F1} MB/s");
    Console.WriteLine($"ratio ingest/baseline speed (medians): wall {baseWall / ingestWall:F2}, cpu {baseCpu / ingestCpu:F2}");
    Console.WriteLine($"peak working set during ingest: {peak / 1048576.0:F0} MB (process peak {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MB)");
    Console.WriteLine($"database: {Directory.EnumerateFiles(work, $"bench-{repeat}.db*").Sum(f => new FileInfo(f).Length) / 1048576.0:F0} MB (with its WAL)");

    var again = await MeasureAsync(async () => await last!.Ingestor.IngestAsync([corpus], null, null, CancellationToken.None));
    Console.WriteLine($"re-ingest unchanged: {again.Seconds:F2} s, files read {again.Result.FilesRead}, events {again.Result.Events}");
    await last!.DisposeAsync();
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(work, recursive: true);
}

static async Task<BenchIngestor> IngestorAsync(string database)
{
    var connections = new DbConnectionFactory(new DatabaseOptions { Provider = "sqlite", Connection = database });
    await new MigrationRunner(connections).MigrateAsync(CancellationToken.None);
    var time = TimeProvider.System;
    var store = new SessionStore(connections, time);
    return new BenchIngestor(connections, new SessionIngestor(store, new RepositoryStore(connections, time), new PriceTable(), new RepoPaths(), new ChangeSignal(), NullLogger<SessionIngestor>.Instance));
}

static string FindFixtures()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, "tests", "Attribution.Tests", "Fixtures", "sessions");
        if (File.Exists(Path.Combine(dir.FullName, "Attribution.sln")) && Directory.Exists(candidate))
        {
            return Path.GetFullPath(candidate);
        }
    }

    throw new DirectoryNotFoundException("tests/Attribution.Tests/Fixtures/sessions not found; pass the fixtures folder as the second argument.");
}

// Copies every fixture again and again with fresh session ids, record uuids, message ids and call ids,
// so each copy is a distinct session with the fixtures' real mix of record types and sizes.
static (int Files, long Bytes) BuildCorpus(string fixtures, string corpus, long target, bool single)
{
    var sources = Directory.EnumerateFiles(fixtures, "*.jsonl", SearchOption.AllDirectories)
        .Select(p => (Path: p, Codex: p.Contains("codex", StringComparison.Ordinal), Text: File.ReadAllText(p)))
        .ToList();
    Directory.CreateDirectory(Path.Combine(corpus, "claude"));
    Directory.CreateDirectory(Path.Combine(corpus, "codex"));
    long bytes = 0;
    var files = 0;
    for (var copy = 0; bytes < target; copy++)
    {
        foreach (var source in sources)
        {
            var key = copy.ToString("x6", CultureInfo.InvariantCulture);
            var text = Rekey(source.Text, key);
            var name = source.Codex
                ? Path.Combine(corpus, "codex", $"rollout-{key}-{Path.GetFileName(source.Path)}")
                : Path.Combine(corpus, "claude", single ? "all.jsonl" : $"{key}-{Path.GetFileName(source.Path)}");
            if (single && !source.Codex)
            {
                File.AppendAllText(name, text.EndsWith('\n') ? text : text + "\n");
            }
            else
            {
                File.WriteAllText(name, text);
                files++;
            }

            bytes += Encoding.UTF8.GetByteCount(text);
        }
    }

    return (single ? files + 1 : files, bytes);
}

static string Rekey(string text, string key) => text
    .Replace("\"sessionId\":\"", $"\"sessionId\":\"{key}-", StringComparison.Ordinal)
    .Replace("\"uuid\":\"", $"\"uuid\":\"{key}-", StringComparison.Ordinal)
    .Replace("\"id\":\"msg_", $"\"id\":\"msg_{key}_", StringComparison.Ordinal)
    .Replace("\"type\":\"session_meta\",\"payload\":{\"id\":\"", $"\"type\":\"session_meta\",\"payload\":{{\"id\":\"{key}-", StringComparison.Ordinal)
    .Replace("\"call_id\":\"", $"\"call_id\":\"{key}-", StringComparison.Ordinal);

static async Task<long> BaselineAsync(string corpus)
{
    long lines = 0;
    foreach (var file in TranscriptFiles.ExpandPaths([corpus]))
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        var reader = new JsonlLineReader(stream, 0, stream.Length, SessionIngestor.MaxLineBytes);
        for (var read = await reader.ReadAsync(CancellationToken.None); read.Status == LineStatus.Line; read = await reader.ReadAsync(CancellationToken.None))
        {
            try
            {
                using var document = JsonDocument.Parse(read.Text);
                lines++;
            }
            catch (JsonException)
            {
                // Counted as not parsed.
            }
        }
    }

    return lines;
}

static async Task<long> ParseOnlyAsync(string corpus)
{
    long events = 0;
    var paths = new RepoPaths();
    foreach (var file in TranscriptFiles.ExpandPaths([corpus]))
    {
        TranscriptParser parser = file.Contains("codex", StringComparison.Ordinal) ? new Attribution.Sessions.Codex.CodexParser(paths) : new Attribution.Sessions.ClaudeCode.ClaudeCodeParser(paths);
        var batch = new TranscriptBatch(file);
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        var reader = new JsonlLineReader(stream, 0, stream.Length, SessionIngestor.MaxLineBytes);
        long line = 0;
        for (var read = await reader.ReadAsync(CancellationToken.None); read.Status == LineStatus.Line; read = await reader.ReadAsync(CancellationToken.None))
        {
            parser.ParseLine(read.Text, ++line, read.StartOffset, batch);
        }

        parser.Complete(batch);
        events += batch.Sessions.Values.Sum(s => s.Events.Count);
    }

    return events;
}

static async Task<(double Seconds, T Result, double CpuSeconds)> MeasureAsync<T>(Func<Task<T>> action)
{
    GC.Collect();
    using var process = Process.GetCurrentProcess();
    var cpu = process.TotalProcessorTime;
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    var watch = Stopwatch.StartNew();
    var result = await action();
    var elapsed = watch.Elapsed.TotalSeconds;
    process.Refresh();
    Console.WriteLine($"  (allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576.0:F0} MB, collections gen0/1/2 {GC.CollectionCount(0) - gcs.Item1}/{GC.CollectionCount(1) - gcs.Item2}/{GC.CollectionCount(2) - gcs.Item3})");
    return (elapsed, result, (process.TotalProcessorTime - cpu).TotalSeconds);
}

/// <summary>An ingestor on its own SQLite database (the connections close with it).</summary>
internal sealed record BenchIngestor(DbConnectionFactory Connections, SessionIngestor Ingestor) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Connections.DisposeAsync();
}

/// <summary>Samples the working set every 20 ms and keeps the largest value.</summary>
internal sealed class PeakSampler : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    public PeakSampler()
    {
        _timer = new Timer(_ =>
        {
            using var process = Process.GetCurrentProcess();
            var current = process.WorkingSet64;
            if (current > Interlocked.Read(ref _peak))
            {
                Interlocked.Exchange(ref _peak, current);
            }
        }, null, 0, 20);
    }

    public long Stop()
    {
        _timer.Change(Timeout.Infinite, Timeout.Infinite);
        return Interlocked.Read(ref _peak);
    }

    public void Dispose() => _timer.Dispose();
}
