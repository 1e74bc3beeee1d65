// Engine benchmark: synthetic history via `git fast-import`, synthetic sessions drawn from the linking priors,
// then full ingest / no-change re-run / backfill timings against `git log` baselines, peak memory, and the
// rubric's precision and recall at 0.5 on the synthetic truth. See README.md.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Attribution.Git;
using Attribution.Hosting;
using Attribution.Linking;
using Attribution.Store;
using Dapper;
using EngineBench;
using Microsoft.Extensions.Logging.Abstractions;

var commits = Arg("--commits", 20000);
var files = Arg("--files", 3000);
var sessionCount = Arg("--sessions", 2000);
var seed = Arg("--seed", 42);
var days = Arg("--days", 365);
var ingestOnly = args.Contains("--ingest-only");
long maxHeap = 0;
var work = Path.Combine(Path.GetTempPath(), "engine-bench", $"{commits}-{files}-{sessionCount}-{days}-{seed}");
if (Directory.Exists(work))
{
    Directory.Delete(work, true);
}

Directory.CreateDirectory(work);
var repoPath = Path.Combine(work, "repo.git");
var rng = new Random(seed);
var now = DateTimeOffset.UtcNow;
var start = now.AddDays(-days);

Console.WriteLine($"generating {commits} commits over {files} files and {days} days, {sessionCount} sessions (seed {seed}) in {work}");
var gen = Stopwatch.StartNew();
_ = Run("git", $"init --quiet --bare {repoPath}", null);
var marks = Path.Combine(work, "marks");
History plan;
using (var import = Process.Start(new ProcessStartInfo("git", $"-C {repoPath} fast-import --quiet --export-marks={marks}") { RedirectStandardInput = true, UseShellExecute = false })!)
{
    import.StandardInput.NewLine = "\n";
    plan = History.Generate(commits, files, start, now, rng, import.StandardInput);
    import.StandardInput.Close();
    import.WaitForExit();
    if (import.ExitCode != 0)
    {
        throw new InvalidOperationException("git fast-import failed");
    }
}

var shaOfMark = File.ReadAllLines(marks).Select(l => l.Split(' ')).ToDictionary(p => int.Parse(p[0][1..], CultureInfo.InvariantCulture), p => p[1]);
Console.WriteLine($"generated in {gen.Elapsed.TotalSeconds:0.0} s");
GC.Collect();

var (logNames, logNamesCpu) = TimeChild(() => GitCpu(repoPath, "log --all --name-only --format=%H"));
var (logNumstat, logNumstatCpu) = TimeChild(() => GitCpu(repoPath, "log --all --numstat --format=%H"));
Console.WriteLine($"git log --all --name-only         wall {logNames.TotalSeconds,8:0.00} s  cpu {logNamesCpu.TotalSeconds,8:0.00} s");
Console.WriteLine($"git log --all --numstat           wall {logNumstat.TotalSeconds,8:0.00} s  cpu {logNumstatCpu.TotalSeconds,8:0.00} s");
var (readOnly, readOnlyCpu) = await TimeAsync(() =>
{
    var tips = GitHistoryReader.Tips(repoPath).Keys.ToList();
    _ = new GitHistoryReader(NullLogger<GitHistoryReader>.Instance).ReadCommits(repoPath, tips, [], null, CancellationToken.None).Count();
    return Task.CompletedTask;
});

Console.WriteLine($"history read only (libgit2)       wall {readOnly.TotalSeconds,8:0.00} s  cpu {readOnlyCpu.TotalSeconds,8:0.00} s  {Mem()}");
DapperSetup.Configure();
var dbPath = Path.Combine(work, "bench.db");
var connections = new DbConnectionFactory(new DatabaseOptions { Provider = "sqlite", Connection = dbPath });
await new MigrationRunner(connections).MigrateAsync(CancellationToken.None);
var time = TimeProvider.System;
var repositories = new RepositoryStore(connections, time);
var reader = new GitHistoryReader(NullLogger<GitHistoryReader>.Instance);
var ingest = new GitIngestService(reader, new CommitStore(connections, time), repositories, new CursorStore(connections, time), new ChangeSignal(), NullLogger<GitIngestService>.Instance);
const string slug = "bench/repo";

GitIngestResult first = null!;
var (ingestFull, ingestFullCpu) = await TimeAsync(async () => first = await ingest.RegisterAndIngestAsync(slug, repoPath, null, null, CancellationToken.None));
Console.WriteLine($"ingest git (full)                 wall {ingestFull.TotalSeconds,8:0.00} s  cpu {ingestFullCpu.TotalSeconds,8:0.00} s  {Mem()}");
var (ingestAgain, ingestAgainCpu) = await TimeAsync(() => ingest.IngestAsync(slug, repoPath, null, null, CancellationToken.None));
if (ingestOnly)
{
    Console.WriteLine($"ingest git (no change)            wall {ingestAgain.TotalSeconds,8:0.00} s  cpu {ingestAgainCpu.TotalSeconds,8:0.00} s");
    Console.WriteLine($"ingest ratio (wall)               {ingestFull / logNames:0.00} vs --name-only, {ingestFull / logNumstat:0.00} vs --numstat; cpu ratio {ingestFullCpu / logNamesCpu:0.00} / {ingestFullCpu / logNumstatCpu:0.00}");
    await connections.DisposeAsync();
    return 0;
}


// Sessions drawn from the priors, seeded with raw SQL (the session ingest is another feature).
var truth = await Sessions.SeedAsync(connections, plan, shaOfMark, sessionCount, slug, rng);
var options = new LinkingOptions();
var backfill = new AttributionBackfill(ingest, reader, repositories, new LinkingInputStore(connections), new CursorStore(connections, time), new LinkStore(connections, time),
    new DownstreamStore(connections), new NoAgentsAttributionVerifier(), Microsoft.Extensions.Options.Options.Create(options), time, NullLogger<AttributionBackfill>.Instance);
BackfillResult pass = null!;
var (backfillFull, backfillFullCpu) = await TimeAsync(async () => pass = await backfill.RunAsync(null, TimeSpan.FromDays(days + 30), null, CancellationToken.None));
Console.WriteLine($"attribute backfill (full)         wall {backfillFull.TotalSeconds,8:0.00} s  cpu {backfillFullCpu.TotalSeconds,8:0.00} s  {Mem()}");
var (backfillAgain, backfillAgainCpu) = await TimeAsync(() => backfill.RunAsync(null, TimeSpan.FromDays(days + 30), null, CancellationToken.None));
Console.WriteLine($"attribute backfill (re-run)       wall {backfillAgain.TotalSeconds,8:0.00} s  cpu {backfillAgainCpu.TotalSeconds,8:0.00} s");
var (backfill30, backfill30Cpu) = await TimeAsync(() => backfill.RunAsync(null, TimeSpan.FromDays(30), null, CancellationToken.None));
Console.WriteLine($"attribute backfill --since 30d    wall {backfill30.TotalSeconds,8:0.00} s  cpu {backfill30Cpu.TotalSeconds,8:0.00} s");

await using var db = await connections.OpenAsync(CancellationToken.None);
var links = (await db.QueryAsync<(string Sha, string Session, double Confidence)>("SELECT commit_sha, session_id, confidence FROM commit_session_link")).ToList();
var predicted = links.Where(l => l.Confidence >= options.Threshold).Select(l => (l.Sha, l.Session)).ToHashSet();
var tp = predicted.Count(truth.Contains);
var precision = predicted.Count == 0 ? 0 : (double)tp / predicted.Count;
var recall = truth.Count == 0 ? 0 : (double)tp / truth.Count;
var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0;
var maxHeapMb = maxHeap / 1024.0 / 1024.0;

Console.WriteLine();
Console.WriteLine($"commits read                      {first.CommitsRead} ({first.FilesRead} file changes)");
Console.WriteLine("                                      wall        cpu");
Console.WriteLine($"git log --all --name-only         {logNames.TotalSeconds,8:0.00} s {logNamesCpu.TotalSeconds,8:0.00} s");
Console.WriteLine($"git log --all --numstat           {logNumstat.TotalSeconds,8:0.00} s {logNumstatCpu.TotalSeconds,8:0.00} s");
Console.WriteLine($"history read only (libgit2 diffs) {readOnly.TotalSeconds,8:0.00} s {readOnlyCpu.TotalSeconds,8:0.00} s");
Console.WriteLine($"ingest git (full)                 {ingestFull.TotalSeconds,8:0.00} s {ingestFullCpu.TotalSeconds,8:0.00} s   wall ratio {ingestFull / logNames:0.00} vs --name-only, {ingestFull / logNumstat:0.00} vs --numstat; cpu ratio {ingestFullCpu / logNamesCpu:0.00} / {ingestFullCpu / logNumstatCpu:0.00}");
Console.WriteLine($"ingest git (no change)            {ingestAgain.TotalSeconds,8:0.00} s {ingestAgainCpu.TotalSeconds,8:0.00} s");
Console.WriteLine($"attribute backfill (full)         {backfillFull.TotalSeconds,8:0.00} s {backfillFullCpu.TotalSeconds,8:0.00} s   ({pass.Sessions} sessions, {pass.CommitLinks} links, {pass.DownstreamTouches} downstream touches)");
Console.WriteLine($"attribute backfill (re-run)       {backfillAgain.TotalSeconds,8:0.00} s {backfillAgainCpu.TotalSeconds,8:0.00} s");
Console.WriteLine($"attribute backfill --since 30d    {backfill30.TotalSeconds,8:0.00} s {backfill30Cpu.TotalSeconds,8:0.00} s");
Console.WriteLine($"peak working set                  {peakMb,8:0} MB   (includes libgit2's object cache and mapped pack files; managed heap peak {maxHeapMb:0} MB)");
Console.WriteLine($"synthetic truth pairs             {truth.Count}");
Console.WriteLine($"links >= 0.5                      {predicted.Count}   precision {precision:0.000}   recall {recall:0.000}");
await connections.DisposeAsync();
return 0;

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

string Mem()
{
    var info = GC.GetGCMemoryInfo();
    maxHeap = Math.Max(maxHeap, info.HeapSizeBytes + info.FragmentedBytes);
    using var self = Process.GetCurrentProcess();
    return $"peak working set so far {self.PeakWorkingSet64 / 1048576.0:0} MB, managed heap {GC.GetTotalMemory(false) / 1048576.0:0} MB";
}

static (TimeSpan Wall, TimeSpan Cpu) TimeChild(Func<TimeSpan> action)
{
    var sw = Stopwatch.StartNew();
    var cpu = action();
    return (sw.Elapsed, cpu);
}

static async Task<(TimeSpan Wall, TimeSpan Cpu)> TimeAsync(Func<Task> action)
{
    var self = Process.GetCurrentProcess();
    var cpu = self.TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    await action();
    self.Refresh();
    return (sw.Elapsed, self.TotalProcessorTime - cpu);
}

static TimeSpan Run(string file, string arguments, StringBuilder? stdin, bool discard = false)
{
    var info = new ProcessStartInfo(file, arguments) { RedirectStandardInput = stdin is not null, RedirectStandardOutput = discard, UseShellExecute = false };
    using var process = Process.Start(info)!;
    if (discard)
    {
        process.StandardOutput.BaseStream.CopyTo(Stream.Null);
    }

    if (stdin is not null)
    {
        foreach (var chunk in stdin.GetChunks())
        {
            process.StandardInput.Write(chunk.Span);
        }

        process.StandardInput.Close();
    }

    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{file} {arguments} exited {process.ExitCode}");
    }

    return TimeSpan.Zero;
}

// CPU time of a git command, read from bash's `times` (children's user and system time).
static TimeSpan GitCpu(string repo, string gitArgs)
{
    var info = new ProcessStartInfo("bash", ["-c", $"git -C '{repo}' {gitArgs} > /dev/null; times"]) { RedirectStandardOutput = true, UseShellExecute = false };
    using var process = Process.Start(info)!;
    var lines = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    process.WaitForExit();
    return lines[^1].Split(' ').Select(ParseBashTime).Aggregate(TimeSpan.Zero, (a, b) => a + b);
}

static TimeSpan ParseBashTime(string text)
{
    var m = text.IndexOf('m', StringComparison.Ordinal);
    return TimeSpan.FromMinutes(double.Parse(text[..m], CultureInfo.InvariantCulture)) + TimeSpan.FromSeconds(double.Parse(text[(m + 1)..].TrimEnd('s'), CultureInfo.InvariantCulture));
}
