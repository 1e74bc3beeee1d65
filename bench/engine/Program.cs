using Attribution.Ingest;
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
using Attribution.Common;

var commits = Arg("--commits", 20000);
var files = Arg("--files", 3000);
var sessionCount = Arg("--sessions", 2000);
var seed = Arg("--seed", 42);
var days = Arg("--days", 365);
var ingestOnly = args.Contains("--ingest-only");
long maxHeap = 0;
var rng = new Random(seed);
var apiSeconds = Arg("--api-seconds", 5);
var work = Path.Combine(Path.GetTempPath(), "engine-bench", $"{commits}-{files}-{sessionCount}-{days}-{seed}");
if (ArgText("--api-db") is { } existing)
{
    // Only the API run, on a database a previous full run left behind.
    DapperSetup.Configure();
    var existingConnections = new DbConnectionFactory(new DatabaseOptions { Provider = "sqlite", Connection = existing });
    await using (var existingDb = await existingConnections.OpenAsync(CancellationToken.None))
    {
        await ApiRunAsync(existingDb, Path.GetFullPath(existing), Path.GetDirectoryName(Path.GetFullPath(existing))!);
    }

    await existingConnections.DisposeAsync();
    return 0;
}

if (args.Contains("--dev-set"))
{
    // Only `ingest git` of the dev-set repositories against their `git log --numstat` baseline (see DevSet).
    return DevSet.Run(DevSetFolder(), ServerDll(), Arg("--rounds", 3));
}

if (ArgText("--increment-db") is { } kept)
{
    // Only the incremental passes (one new commit, one new session), on the database and repository a previous full run
    // left in that folder, with the pass's step timings logged at Debug.
    return await Incremental.RunAsync(kept, Arg("--line-budget", 60), inPlace: args.Contains("--in-place"));
}

if (Directory.Exists(work))
{
    Directory.Delete(work, true);
}

Directory.CreateDirectory(work);
var repoPath = Path.Combine(work, "repo.git");
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
    _ = new GitHistoryReader(NullLogger<GitHistoryReader>.Instance) { UseGitCommand = false }.ReadCommits(repoPath, tips, [], null, CancellationToken.None).Count();
    return Task.CompletedTask;
});

Console.WriteLine($"history read only (libgit2)       wall {readOnly.TotalSeconds,8:0.00} s  cpu {readOnlyCpu.TotalSeconds,8:0.00} s  {Mem()}");
var (readGit, readGitCpu) = await TimeAsync(() =>
{
    var tips = GitHistoryReader.Tips(repoPath).Keys.ToList();
    _ = new GitHistoryReader(NullLogger<GitHistoryReader>.Instance).ReadCommits(repoPath, tips, [], null, CancellationToken.None).Count();
    return Task.CompletedTask;
});
Console.WriteLine($"history read only (git log)       wall {readGit.TotalSeconds,8:0.00} s  cpu {readGitCpu.TotalSeconds,8:0.00} s  (cpu: this process only, not the git child)  {Mem()}");
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
// The same ingest through LibGit2Sharp alone (the reader before git log, and its fallback), into a database of its own:
// its time, and whether the stored rows are identical.
var libgitPath = Path.Combine(work, "bench-libgit2.db");
var libgitConnections = new DbConnectionFactory(new DatabaseOptions { Provider = "sqlite", Connection = libgitPath });
await new MigrationRunner(libgitConnections).MigrateAsync(CancellationToken.None);
var libgitIngest = new GitIngestService(new GitHistoryReader(NullLogger<GitHistoryReader>.Instance) { UseGitCommand = false }, new CommitStore(libgitConnections, time),
    new RepositoryStore(libgitConnections, time), new CursorStore(libgitConnections, time), new ChangeSignal(), NullLogger<GitIngestService>.Instance);
var (ingestLibgit, ingestLibgitCpu) = await TimeAsync(() => libgitIngest.RegisterAndIngestAsync(slug, repoPath, null, null, CancellationToken.None));
Console.WriteLine($"ingest git (libgit2 reader)       wall {ingestLibgit.TotalSeconds,8:0.00} s  cpu {ingestLibgitCpu.TotalSeconds,8:0.00} s  {Mem()}");
var sameRows = await RowsAsync(connections) == await RowsAsync(libgitConnections);
Console.WriteLine($"stored rows (commits, commit_files, commit_refs) git log reader vs libgit2 reader: {(sameRows ? "identical" : "DIFFERENT")}");
await libgitConnections.DisposeAsync();
if (ingestOnly)
{
    Console.WriteLine($"ingest git (no change)            wall {ingestAgain.TotalSeconds,8:0.00} s  cpu {ingestAgainCpu.TotalSeconds,8:0.00} s");
    Console.WriteLine($"ingest ratio (wall)               {ingestFull / logNames:0.00} vs --name-only, {ingestFull / logNumstat:0.00} vs --numstat; cpu ratio {ingestFullCpu / logNamesCpu:0.00} / {ingestFullCpu / logNumstatCpu:0.00}");
    Console.WriteLine($"libgit2 reader ratio (wall)       {ingestLibgit / logNumstat:0.00} vs --numstat; cpu ratio {ingestLibgitCpu / logNumstatCpu:0.00}");
    await connections.DisposeAsync();
    return 0;
}


// Sessions drawn from the priors, seeded with raw SQL (the session ingest is another feature).
var truth = await Sessions.SeedAsync(connections, plan, shaOfMark, sessionCount, slug, rng);
// --line-budget 0 leaves line facts out (a pass over 12,000 targets reads them for hours: see README); the default is the product's.
var options = new LinkingOptions { LineBudgetSeconds = Arg("--line-budget", 60) };
var backfill = new AttributionBackfill(ingest, reader, repositories, new LinkingInputStore(connections), new CursorStore(connections, time), new LinkStore(connections, time),
    new DownstreamStore(connections), new NoAgentsAttributionVerifier(), Microsoft.Extensions.Options.Options.Create(options), time, NullLogger<AttributionBackfill>.Instance);
BackfillResult pass = null!;
var (backfillFull, backfillFullCpu) = await TimeAsync(async () => pass = await backfill.RunAsync(null, TimeSpan.FromDays(days + 30), null, CancellationToken.None));
Console.WriteLine($"attribute backfill (full)         wall {backfillFull.TotalSeconds,8:0.00} s  cpu {backfillFullCpu.TotalSeconds,8:0.00} s  {Mem()}");
var (backfillAgain, backfillAgainCpu) = await TimeAsync(() => backfill.RunAsync(null, TimeSpan.FromDays(days + 30), null, CancellationToken.None));
Console.WriteLine($"attribute backfill (re-run)       wall {backfillAgain.TotalSeconds,8:0.00} s  cpu {backfillAgainCpu.TotalSeconds,8:0.00} s");

// One new commit on main a minute after the newest, ingested by the pass's own scan; then one new session that wrote and
// committed it. Each pass should recompute only what the new input reaches (issue 23: < 1 s on 100k / 10,000 sessions).
var (newPath, newLine) = Incremental.AppendCommit(repoPath, now.AddMinutes(1));
var newSha = Incremental.MainSha(repoPath);
BackfillResult afterCommitPass = null!;
var (afterCommit, afterCommitCpu) = await TimeAsync(async () => afterCommitPass = await backfill.RunAsync(null, TimeSpan.FromDays(days + 30), null, CancellationToken.None));
Console.WriteLine($"attribute backfill (+1 commit)    wall {afterCommit.TotalSeconds,8:0.00} s  cpu {afterCommitCpu.TotalSeconds,8:0.00} s  {Phases(afterCommitPass)}  {Mem()}");
await Incremental.AddSessionAsync(connections, slug, "s-new", newPath, newLine, newSha, now.AddMinutes(1));
BackfillResult afterSessionPass = null!;
var (afterSession, afterSessionCpu) = await TimeAsync(async () => afterSessionPass = await backfill.RunAsync(null, TimeSpan.FromDays(days + 30), null, CancellationToken.None));
Console.WriteLine($"attribute backfill (+1 session)   wall {afterSession.TotalSeconds,8:0.00} s  cpu {afterSessionCpu.TotalSeconds,8:0.00} s  {Phases(afterSessionPass)}  {Mem()}");

// The same rows as a full pass: forget what the passes remembered and run one over everything.
var incrementalRows = await Incremental.PassRowsAsync(connections);
await using (var reset = await connections.OpenAsync(CancellationToken.None))
{
    await reset.ExecuteAsync("DELETE FROM ingest_cursors WHERE source LIKE 'attribution%'");
}

var (fullAgain, _) = await TimeAsync(() => backfill.RunAsync(null, TimeSpan.FromDays(days + 30), null, CancellationToken.None));
var sameAsFull = incrementalRows == await Incremental.PassRowsAsync(connections);
Console.WriteLine($"incremental passes vs a full pass: rows {(sameAsFull ? "identical" : "DIFFERENT")} (full pass {fullAgain.TotalSeconds:0.00} s)");
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
Console.WriteLine($"history read only (git log)       {readGit.TotalSeconds,8:0.00} s {readGitCpu.TotalSeconds,8:0.00} s");
Console.WriteLine($"ingest git (full)                 {ingestFull.TotalSeconds,8:0.00} s {ingestFullCpu.TotalSeconds,8:0.00} s   wall ratio {ingestFull / logNames:0.00} vs --name-only, {ingestFull / logNumstat:0.00} vs --numstat; cpu ratio {ingestFullCpu / logNamesCpu:0.00} / {ingestFullCpu / logNumstatCpu:0.00}");
Console.WriteLine($"ingest git (no change)            {ingestAgain.TotalSeconds,8:0.00} s {ingestAgainCpu.TotalSeconds,8:0.00} s");
Console.WriteLine($"ingest git (libgit2 reader)       {ingestLibgit.TotalSeconds,8:0.00} s {ingestLibgitCpu.TotalSeconds,8:0.00} s   wall ratio {ingestLibgit / logNumstat:0.00} vs --numstat; rows {(sameRows ? "identical" : "DIFFERENT")}");
Console.WriteLine($"attribute backfill (full)         {backfillFull.TotalSeconds,8:0.00} s {backfillFullCpu.TotalSeconds,8:0.00} s   ({pass.Sessions} sessions, {pass.CommitLinks} links, {pass.DownstreamTouches} downstream touches)");
Console.WriteLine($"attribute backfill (re-run)       {backfillAgain.TotalSeconds,8:0.00} s {backfillAgainCpu.TotalSeconds,8:0.00} s");
Console.WriteLine($"attribute backfill (+1 commit)    {afterCommit.TotalSeconds,8:0.00} s {afterCommitCpu.TotalSeconds,8:0.00} s   {Phases(afterCommitPass)}");
Console.WriteLine($"attribute backfill (+1 session)   {afterSession.TotalSeconds,8:0.00} s {afterSessionCpu.TotalSeconds,8:0.00} s   {Phases(afterSessionPass)}");
Console.WriteLine($"incremental vs full pass rows     {(sameAsFull ? "identical" : "DIFFERENT")}");
Console.WriteLine($"attribute backfill --since 30d    {backfill30.TotalSeconds,8:0.00} s {backfill30Cpu.TotalSeconds,8:0.00} s");
Console.WriteLine($"peak working set                  {peakMb,8:0} MB   (includes libgit2's object cache and mapped pack files; managed heap peak {maxHeapMb:0} MB)");
Console.WriteLine($"synthetic truth pairs             {truth.Count}");
Console.WriteLine($"links >= 0.5                      {predicted.Count}   precision {precision:0.000}   recall {recall:0.000}");
if (apiSeconds > 0)
{
    await ApiRunAsync(db, dbPath, work);
}

await connections.DisposeAsync();
if (!args.Contains("--no-dev-set") && Directory.Exists(DevSetFolder()) && File.Exists(ServerDll()))
{
    Console.WriteLine();
    DevSet.Run(DevSetFolder(), ServerDll(), Arg("--rounds", 3));
}

return 0;

// The dev-set repositories: the folder after --dev-set, else ../shared/data beside the repository.
string DevSetFolder() => ArgText("--dev-set") is { } given && !given.StartsWith("--", StringComparison.Ordinal) ? given
    : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "..", "shared", "data"));

// The product's Release build the API run serves and the dev-set run ingests with.
string ServerDll() => ArgText("--server") ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "Attribution", "bin", "Release", "net10.0", "attribution.dll"));

// GET /api/attribution/commit/{sha} against /healthz on the generated database, Release server, 32 connections.
async Task ApiRunAsync(System.Data.Common.DbConnection connection, string database, string workDir)
{
    var apiConnections = Arg("--api-connections", 32);
    var serverDll = ServerDll();
    if (!File.Exists(serverDll))
    {
        Console.WriteLine($"API run skipped: {serverDll} not found (dotnet build -c Release src/Attribution)");
        return;
    }

    var shas = (await connection.QueryAsync<string>("SELECT sha FROM commits ORDER BY sha")).ToList();
    var sample = Enumerable.Range(0, 5000).Select(_ => shas[rng.Next(shas.Count)]).ToArray();
    var port = 5400 + (seed % 100);
    // The same database twice: the shipped server (read answers kept until the database changes, Store/ReadCache.cs),
    // then one with that cache off, each against its own /healthz, so both ratios come from one run.
    foreach (var readCache in new[] { true, false })
    {
        await ApiServerRunAsync(serverDll, database, workDir, $"http://127.0.0.1:{port++}", apiConnections, sample, shas.Count, readCache);
    }
}

async Task ApiServerRunAsync(string serverDll, string database, string workDir, string url, int apiConnections, string[] sample, int commitCount, bool readCache)
{
    using var server = ApiLoad.StartServer(serverDll, database, url, workDir, readCache);
    using var http = new HttpClient(new System.Net.Http.SocketsHttpHandler { MaxConnectionsPerServer = apiConnections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = new Uri(url),
        Timeout = TimeSpan.FromSeconds(30),
    };
    try
    {
        await ApiLoad.WaitUntilUpAsync(http, server);
        string Health(int _) => "/healthz";
        string CommitDoc(int i) => $"/api/attribution/commit/{sample[(i & int.MaxValue) % sample.Length]}";
        // Warm-up (JIT, pools, SQLite page cache) outside the measurement.
        await ApiLoad.RunAsync(http, server, apiConnections, TimeSpan.FromSeconds(2), Health);
        await ApiLoad.RunAsync(http, server, apiConnections, TimeSpan.FromSeconds(4), CommitDoc);
        // Every sampled commit once, so the measured phases see what a warm server sees (with the read cache on: hits).
        await Task.WhenAll(Enumerable.Range(0, apiConnections).Select(async w =>
        {
            for (var i = w; i < sample.Length; i += apiConnections)
            {
                using var answer = await http.GetAsync(CommitDoc(i));
            }
        }));
        // Alternating rounds, so a burst of load from elsewhere on the machine hits both endpoints alike.
        var duration = TimeSpan.FromSeconds(apiSeconds);
        var rounds = new List<(LoadResult Health, LoadResult Commit)>();
        for (var round = 0; round < Arg("--api-rounds", 3); round++)
        {
            rounds.Add((await ApiLoad.RunAsync(http, server, apiConnections, duration, Health), await ApiLoad.RunAsync(http, server, apiConnections, duration, CommitDoc)));
        }

        var peakKb = File.ReadLines($"/proc/{server.Id}/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault();
        Console.WriteLine();
        Console.WriteLine($"API at {apiConnections} connections, {apiSeconds} s per phase, {commitCount} commits (Release server, SQLite, request logging off, read cache {(readCache ? "on" : "off")})");
        foreach (var (health, commit) in rounds)
        {
            Console.WriteLine($"  /healthz                        {health.Rate,8:0} req/s  p50 {health.P50,6:0.00} ms  p99 {health.P99,6:0.00} ms  non-200 {health.Failed}  server CPU {health.ServerCpuMicros,5:0} µs/req");
            Console.WriteLine($"  /api/attribution/commit/{{sha}}   {commit.Rate,8:0} req/s  p50 {commit.P50,6:0.00} ms  p99 {commit.P99,6:0.00} ms  non-200 {commit.Failed}  server CPU {commit.ServerCpuMicros,5:0} µs/req   ratio {commit.Rate / health.Rate:0.00}");
        }

        var ratios = rounds.Select(r => r.Commit.Rate / r.Health.Rate).Order().ToList();
        var p99s = rounds.Select(r => r.Commit.P99).Order().ToList();
        Console.WriteLine($"  read cache {(readCache ? "on " : "off")}: ratio commit/healthz median {ratios[ratios.Count / 2]:0.00} (rounds {string.Join(", ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))}); commit p99 median {p99s[p99s.Count / 2]:0.00} ms; server peak RSS {peakKb / 1024.0:0} MB");
    }
    finally
    {
        server.Kill(entireProcessTree: true);
        await server.WaitForExitAsync();
    }
}

// Every row ingest writes, in key order, as one text (seen_ts and updated_ts are the time of the run).
static string Phases(BackfillResult pass) => FormattableString.Invariant(
    $"(incremental {pass.Incremental}/{pass.Repositories}; link {pass.LinkElapsed.TotalSeconds:0.00} s, downstream {pass.DownstreamElapsed.TotalSeconds:0.00} s of which line reading {pass.LineElapsed.TotalSeconds:0.00} s for {pass.LineTargetsRead} targets; {pass.CommitLinksWritten} links written, {pass.DownstreamWritten} touches written)");

static async Task<string> RowsAsync(DbConnectionFactory factory)
{
    await using var connection = await factory.OpenAsync(CancellationToken.None);
    var text = new StringBuilder();
    foreach (var sql in new[]
    {
        "SELECT repo_slug, sha, source, parents, author_name, author_email, author_ts, committer_name, committer_email, committer_ts, message, subject, trailers_json, reverts_sha, agent, agent_model, files_known FROM commits ORDER BY repo_slug, sha",
        "SELECT repo_slug, sha, path, status, old_path, added_lines, deleted_lines FROM commit_files ORDER BY repo_slug, sha, path",
        "SELECT repo_slug, sha, ref, source FROM commit_refs ORDER BY repo_slug, sha, ref",
    })
    {
        foreach (IDictionary<string, object?> row in await connection.QueryAsync(sql))
        {
            text.AppendJoin('\u001f', row.Values).Append('\n');
        }
    }

    return text.ToString();
}

string? ArgText(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

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
