using Attribution.Ingest;
// Line-level outcomes on the engine benchmark's synthetic history: the full attribution pass with its line step, then
// the cost per new commit of that step (the incremental pass reads git again only for targets whose files the new
// commit touched). See README.md.
using System.Diagnostics;
using System.Globalization;
using Attribution.Common;
using Attribution.Git;
using Attribution.Linking;
using Attribution.Store;
using EngineBench;
using LibGit2Sharp;
using Microsoft.Extensions.Logging.Abstractions;

var commits = Arg("--commits", 20000);
var files = Arg("--files", 3000);
var sessionCount = Arg("--sessions", 2000);
var days = Arg("--days", 365);
var newCommits = Arg("--new-commits", 5);
var rng = new Random(Arg("--seed", 42));
var work = Path.Combine(Path.GetTempPath(), "outcomes-bench", $"{commits}-{files}-{sessionCount}-{days}");
if (Directory.Exists(work))
{
    Directory.Delete(work, true);
}

Directory.CreateDirectory(work);
var repoPath = Path.Combine(work, "repo.git");
var now = DateTimeOffset.UtcNow;
Console.WriteLine($"generating {commits} commits over {files} files and {days} days, {sessionCount} sessions in {work}");
Run("git", $"init --quiet --bare {repoPath}");
var marks = Path.Combine(work, "marks");
History plan;
using (var import = Process.Start(new ProcessStartInfo("git", $"-C {repoPath} fast-import --quiet --export-marks={marks}") { RedirectStandardInput = true, UseShellExecute = false })!)
{
    import.StandardInput.NewLine = "\n";
    plan = History.Generate(commits, files, now.AddDays(-days), now.AddMinutes(-30), rng, import.StandardInput);
    import.StandardInput.Close();
    import.WaitForExit();
}

Run("git", $"-C {repoPath} symbolic-ref HEAD refs/heads/main");
var shaOfMark = File.ReadAllLines(marks).Select(l => l.Split(' ')).ToDictionary(p => int.Parse(p[0][1..], CultureInfo.InvariantCulture), p => p[1]);

DapperSetup.Configure();
var connections = new DbConnectionFactory(new DatabaseOptions { Provider = "sqlite", Connection = Path.Combine(work, "bench.db") });
await new MigrationRunner(connections).MigrateAsync(CancellationToken.None);
var time = TimeProvider.System;
var repositories = new RepositoryStore(connections, time);
var reader = new GitHistoryReader(NullLogger<GitHistoryReader>.Instance);
var ingest = new GitIngestService(reader, new CommitStore(connections, time), repositories, new CursorStore(connections, time), new ChangeSignal(), NullLogger<GitIngestService>.Instance);
const string slug = "bench/repo";
await ingest.RegisterAndIngestAsync(slug, repoPath, null, null, CancellationToken.None);
await Sessions.SeedAsync(connections, plan, shaOfMark, sessionCount, slug, rng);
var backfill = new AttributionBackfill(ingest, reader, repositories, new LinkingInputStore(connections), new CursorStore(connections, time), new LinkStore(connections, time),
    new DownstreamStore(connections), new NoAgentsAttributionVerifier(), Microsoft.Extensions.Options.Options.Create(new LinkingOptions()), time, NullLogger<AttributionBackfill>.Instance);
var window = TimeSpan.FromDays(days + 30);

var full = await PassAsync();
Console.WriteLine($"full pass                 wall {full.Wall.TotalSeconds,8:0.00} s   line step {full.Result.LineElapsed.TotalSeconds,7:0.00} s   {full.Result.LineTargets} targets, {full.Result.LineTargetsRead} read, {full.Result.DownstreamTouches} touches");
var again = await PassAsync();
Console.WriteLine($"again, nothing new        wall {again.Wall.TotalSeconds,8:0.00} s   (unchanged repositories: {again.Result.Unchanged})");

// One new commit at a time on main, each changing one line of a file an agent commit touched (the newest ones first).
var hot = plan.Commits.AsEnumerable().Reverse().SelectMany(c => c.AddedLine.Keys).Distinct(StringComparer.Ordinal).Take(newCommits).ToList();
var rows = new List<(string Path, Timed Pass)>();
foreach (var path in hot)
{
    AddCommit(path);
    var pass = await PassAsync();
    rows.Add((path, pass));
    Console.WriteLine($"+1 commit on {path,-26} wall {pass.Wall.TotalSeconds,8:0.00} s   line step {pass.Result.LineElapsed.TotalMilliseconds,7:0} ms   {pass.Result.LineTargetsRead} of {pass.Result.LineTargets} targets read");
}

if (rows.Count > 0)
{
    Console.WriteLine($"per new commit (mean of {rows.Count}): line step {rows.Average(r => r.Pass.Result.LineElapsed.TotalMilliseconds):0} ms, {rows.Average(r => r.Pass.Result.LineTargetsRead):0.0} targets read again; whole pass {rows.Average(r => r.Pass.Wall.TotalSeconds):0.00} s");
}

await connections.DisposeAsync();
return 0;

async Task<Timed> PassAsync()
{
    var clock = Stopwatch.StartNew();
    var result = await backfill.RunAsync(null, window, null, CancellationToken.None);
    return new Timed(clock.Elapsed, result);
}

void AddCommit(string path)
{
    using var repo = new Repository(repoPath);
    var main = repo.Branches["main"].Tip;
    var text = ((Blob)main[path].Target).GetContentText();
    var lines = text.TrimEnd('\n').Split('\n');
    lines[^1] += " + 1";
    var blob = repo.ObjectDatabase.CreateBlob(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n")));
    var tree = TreeDefinition.From(main.Tree);
    tree.Add(path, blob, Mode.NonExecutableFile);
    var signature = new Signature("Other", "other@example.com", DateTimeOffset.UtcNow);
    var commit = repo.ObjectDatabase.CreateCommit(signature, signature, $"fix: adjust {path}", repo.ObjectDatabase.CreateTree(tree), [main], false);
    repo.Refs.UpdateTarget(repo.Refs["refs/heads/main"], commit.Id);
}

static void Run(string file, string arguments)
{
    using var process = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false })!;
    process.WaitForExit();
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

internal sealed record Timed(TimeSpan Wall, BackfillResult Result);
