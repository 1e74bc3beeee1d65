using System.Diagnostics;
using System.Globalization;
using Attribution.Common;
using Attribution.Hosting;
using Attribution.Store;
using Attribution.Yield;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

// Seeds N sessions over the last 30 days with links, PRs, CI runs and touches, then times GET /yield?period=30d
// on the real server (Release) and YieldService.GetAsync directly. Args: [sessions=10000] [requests=40] [provider=sqlite] [connection].
var sessions = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var requests = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40;
var provider = args.Length > 2 ? args[2] : "sqlite";
var dir = Path.Combine(Path.GetTempPath(), "attribution-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(dir);
var connection = args.Length > 3 && args[3] != "-" ? args[3] : Path.Combine(dir, "bench.db");
var cacheSeconds = args.Length > 4 ? args[4] : "0"; // 0: every request recomputes (the cold figure)

DapperSetup.Configure();
var options = new DatabaseOptions { Provider = provider, Connection = connection };
await using (var factory = new DbConnectionFactory(options))
{
    await new MigrationRunner(factory).MigrateAsync(CancellationToken.None);
    var seedClock = Stopwatch.StartNew();
    await Seed(factory, sessions);
    Console.WriteLine($"cache {cacheSeconds} s; {Environment.ProcessorCount} cores, load average {LoadAverage()}");
    Console.WriteLine($"seeded {sessions:N0} sessions in {seedClock.Elapsed.TotalSeconds:0.0} s ({provider})");
}

var app = AttributionHost.Build(new HostSettings(HostMode.Serve)
{
    Urls = "http://127.0.0.1:0",
    // Razor Pages are found in the application's own assembly, which is attribution.dll, not this harness.
    HostArgs = ["--applicationName=attribution"],
    ContentRoot = AppContext.BaseDirectory,
    Overrides = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Attribution:Database:Provider"] = provider,
        ["Attribution:Database:Connection"] = connection,
        ["Attribution:Sessions:Watch"] = "false",
        ["Attribution:Yield:CacheSeconds"] = cacheSeconds,
        ["Serilog:MinimumLevel:Default"] = "Warning",
    },
});
await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
using var http = new HttpClient { BaseAddress = new Uri(address) };

var cpuPerCall = 0.0;
async Task<List<double>> Time(int count, Func<Task> action)
{
    for (var i = 0; i < 3; i++)
    {
        await action(); // warm-up
    }

    // CPU time of this process per call: a figure that holds up when other jobs load the machine.
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var times = new List<double>();
    for (var i = 0; i < count; i++)
    {
        var sw = Stopwatch.StartNew();
        await action();
        times.Add(sw.Elapsed.TotalMilliseconds);
    }

    cpuPerCall = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / count;
    times.Sort();
    return times;
}

string Summary(List<double> t) =>
    string.Create(CultureInfo.InvariantCulture, $"p50 {t[t.Count / 2]:0.0} ms, p95 {t[(int)(t.Count * 0.95)]:0.0} ms, max {t[^1]:0.0} ms, CPU {cpuPerCall:0.0} ms/call (n={t.Count})");

var bytes = 0;
var page = await Time(requests, async () =>
{
    using var response = await http.GetAsync("/yield?period=30d");
    response.EnsureSuccessStatusCode();
    bytes = (await response.Content.ReadAsByteArrayAsync()).Length;
});
Console.WriteLine($"GET /yield?period=30d          {Summary(page)}, {bytes / 1024} KiB");
var pageCpu = cpuPerCall;

var sorted = await Time(requests, async () =>
{
    using var response = await http.GetAsync("/yield?period=30d&sort=-cost&page=7");
    response.EnsureSuccessStatusCode();
});
Console.WriteLine($"GET /yield?...&sort=-cost&page=7 {Summary(sorted)}");

var small = await Time(requests, async () =>
{
    using var response = await http.GetAsync("/yield?period=30d&outcome=no-repo");
    response.EnsureSuccessStatusCode();
});
Console.WriteLine($"GET /yield?...&outcome=no-repo {Summary(small)}");

var api = await Time(requests, async () =>
{
    using var response = await http.GetAsync("/api/yield?since=30d&pageSize=100");
    response.EnsureSuccessStatusCode();
});
Console.WriteLine($"GET /api/yield?since=30d       {Summary(api)}");

// The team overview over the same sessions: the yield report's computed sessions plus authors and line outcomes,
// totals per setup, repository and developer, and a trend per week. Read as a ratio to /yield in this run.
var team = await Time(requests, async () =>
{
    using var response = await http.GetAsync("/team?period=30d");
    response.EnsureSuccessStatusCode();
    bytes = (await response.Content.ReadAsByteArrayAsync()).Length;
});
Console.WriteLine($"GET /team?period=30d           {Summary(team)}, {bytes / 1024} KiB");
var teamCpu = cpuPerCall;

var teamApi = await Time(requests, async () =>
{
    using var response = await http.GetAsync("/api/team?since=30d");
    response.EnsureSuccessStatusCode();
});
Console.WriteLine($"GET /api/team?since=30d        {Summary(teamApi)}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  /team ÷ /yield: p50 wall {team[team.Count / 2] / page[page.Count / 2]:0.00}, CPU per call {teamCpu / pageCpu:0.00}"));

var service = app.Services.GetRequiredService<YieldService>();
var direct = await Time(requests, () => service.GetAsync(new YieldQuery { Since = "30d" }, CancellationToken.None));
Console.WriteLine($"YieldService.GetAsync (30d)    {Summary(direct)}");

// Where the time goes: the two store queries on their own.
var store = app.Services.GetRequiredService<YieldStore>();
var filter = new YieldFilter(DateTimeOffset.UtcNow.AddDays(-30), null, null, null, 0.5);
Console.WriteLine($"  YieldStore.GetSessionStatsAsync {Summary(await Time(requests, () => store.GetSessionStatsAsync(filter, CancellationToken.None)))}");
Console.WriteLine($"  YieldStore.GetSessionPrsAsync   {Summary(await Time(requests, () => store.GetSessionPrsAsync(filter, CancellationToken.None)))}");

await app.StopAsync();
await app.DisposeAsync();
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
try
{
    Directory.Delete(dir, recursive: true);
}
catch (IOException)
{
}

static async Task Seed(IDbConnectionFactory factory, int count)
{
    var random = new Random(42);
    var now = DateTimeOffset.UtcNow;
    var repos = Enumerable.Range(0, 20).Select(i => $"org/repo-{i}").ToArray();
    var agents = new[] { ("claude-code", "claude-opus-4-6"), ("claude-code", "claude-sonnet-4-5"), ("codex", "gpt-5-codex") };
    await using var unit = await factory.BeginAsync(CancellationToken.None);
    var c = unit.Connection;
    var tx = unit.Transaction;
    var pr = 0;
    for (var i = 0; i < count; i++)
    {
        var id = $"bench-{i:D6}";
        var started = now.AddMinutes(-random.Next(0, 30 * 24 * 60));
        var repo = random.Next(20) == 0 ? null : repos[random.Next(repos.Length)];
        var (agent, model) = agents[random.Next(agents.Length)];
        await c.ExecuteAsync("""
            INSERT INTO sessions (session_id, agent, model, started_ts, ended_ts, repo_slug, cost_usd, updated_ts)
            VALUES (@Id, @Agent, @Model, @Started, @Ended, @Repo, @Cost, @Started)
            """, new { Id = id, Agent = agent, Model = model, Started = started, Ended = started.AddHours(1), Repo = repo, Cost = Math.Round(random.NextDouble() * 3, 2) }, tx);
        if (repo is null)
        {
            continue;
        }

        var commits = random.Next(0, 4);
        var shas = new List<string>();
        for (var k = 0; k < commits; k++)
        {
            var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(BitConverter.GetBytes((i * 10) + k)));
            shas.Add(sha);
            var at = started.AddMinutes(10 + k);
            await c.ExecuteAsync("""
                INSERT INTO commits (repo_slug, sha, committer_ts, subject, source, files_known, updated_ts)
                VALUES (@Repo, @Sha, @At, 'change', 'git', 1, @At)
                """, new { Repo = repo, Sha = sha, At = at }, tx);
            await c.ExecuteAsync("""
                INSERT INTO commit_session_link (commit_sha, repo_slug, session_id, link_type, confidence, evidence_json, established_ts)
                VALUES (@Sha, @Repo, @Id, 'authored', @Confidence, '{}', @At)
                """, new { Sha = sha, Repo = repo, Id = id, Confidence = random.NextDouble() < 0.9 ? 1.0 : 0.4, At = at }, tx);
            await c.ExecuteAsync("""
                INSERT INTO ci_runs (provider, repo_slug, run_id, commit_sha, status, completed_ts, updated_ts)
                VALUES ('github-actions', @Repo, @Run, @Sha, @Status, @At, @At)
                """, new { Repo = repo, Run = sha, Sha = sha, Status = random.Next(5) == 0 ? "failure" : "success", At = at.AddMinutes(5) }, tx);
            if (random.Next(4) == 0)
            {
                await c.ExecuteAsync("""
                    INSERT INTO downstream_touches (repo_slug, target_kind, target_key, touch_sha, classification, touched_ts, files_json)
                    VALUES (@Repo, 'commit', @Sha, @Touch, @Kind, @At, '["a.cs"]')
                    """, new { Repo = repo, Sha = sha, Touch = "t" + sha[1..], Kind = random.Next(3) switch { 0 => "fix", 1 => "revert", _ => "other" }, At = at.AddDays(2) }, tx);
            }
        }

        if (shas.Count > 0 && random.Next(3) > 0)
        {
            pr++;
            var state = random.Next(4) switch { 0 => "open", 1 => "closed", _ => "merged" };
            await c.ExecuteAsync("""
                INSERT INTO pr_outcomes (provider, repo_slug, pr_number, title, state, merged_at, url, updated_ts)
                VALUES ('github', @Repo, @Number, 'Bench PR', @State, @Merged, 'https://github.com/x/y/pull/1', @Now)
                """, new { Repo = repo, Number = pr, State = state, Merged = state == "merged" ? started.AddHours(3) : (DateTimeOffset?)null, Now = now }, tx);
            foreach (var sha in shas)
            {
                await c.ExecuteAsync("INSERT INTO pr_commits (provider, repo_slug, pr_number, sha, source) VALUES ('github', @Repo, @Number, @Sha, 'git')",
                    new { Repo = repo, Number = pr, Sha = sha }, tx);
            }
        }
    }

    await unit.CommitAsync(CancellationToken.None);
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
