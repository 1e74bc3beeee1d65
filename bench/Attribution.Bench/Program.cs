using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

// Webhook load run: starts the Release build of the service on a fresh SQLite file, then R rounds of
//   GET /healthz at N concurrent connections for D seconds, then
//   signed, unique pull_request.opened deliveries at N connections for D seconds,
// and reports both rates and their ratio per round (the median round is the headline), latency percentiles, CPU per
// request, the server's peak memory and whether every 2xx delivery is in the database.
// Usage: dotnet run -c Release --project bench/Attribution.Bench -- [--seconds 10] [--rounds 3] [--connections 32] [--server path/to/attribution.dll]
//        [--server-log-level Warning|Information] (the server's Serilog minimum level; Information logs two lines per delivery)
//        [--keep-bodies] (the server keeps every applied delivery's body: Attribution:Webhooks:KeepBodies)
var seconds = Arg("--seconds", 10);
var connections = Arg("--connections", 32);
var rounds = Arg("--rounds", 3);
var root = FindRoot();
var serverDll = ArgText("--server") ?? Path.Combine(root, "src", "Attribution", "bin", "Release", "net10.0", "attribution.dll");
var fixtureName = ArgText("--fixture") ?? "pull_request.opened.json";
var eventName = fixtureName.Split('.')[0];
var fixture = Path.GetFullPath(Path.Combine(root, "tests", "Attribution.Tests", "Fixtures", "github", fixtureName));
if (!File.Exists(serverDll))
{
    Console.Error.WriteLine($"Build first: dotnet build -c Release src/Attribution ({serverDll} not found)");
    return 2;
}

const string Secret = "bench-secret";
const string Url = "http://127.0.0.1:5199";
var work = Directory.CreateTempSubdirectory("attribution-bench-");
var dbPath = Path.Combine(work.FullName, "bench.db");
var start = new ProcessStartInfo("dotnet", [serverDll, "serve", "--urls", Url])
{
    RedirectStandardOutput = true,
    RedirectStandardError = true,
    WorkingDirectory = work.FullName,
};
start.Environment["ATTRIBUTION_DB_PROVIDER"] = "sqlite";
start.Environment["ATTRIBUTION_DB"] = dbPath;
start.Environment["ATTRIBUTION_GITHUB_WEBHOOK_SECRET"] = Secret;
start.Environment["ATTRIBUTION_WATCH_SESSIONS"] = "false";
start.Environment["Serilog__MinimumLevel__Default"] = ArgText("--server-log-level") ?? "Warning";
start.Environment["ATTRIBUTION_WEBHOOK_KEEP_BODIES"] = args.Contains("--keep-bodies") ? "true" : "false";
using var server = Process.Start(start)!;
server.OutputDataReceived += (_, _) => { };
server.ErrorDataReceived += (_, _) => { };
server.BeginOutputReadLine();
server.BeginErrorReadLine();

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
{
    BaseAddress = new Uri(Url),
    Timeout = TimeSpan.FromSeconds(30),
};
try
{
    await WaitForServerAsync(http);
    var body = await File.ReadAllBytesAsync(fixture);
    var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body));

    // Warm-up (JIT, pools) outside the measurement.
    await RunAsync(http, connections, TimeSpan.FromSeconds(3), _ => Healthz());
    await RunAsync(http, connections, TimeSpan.FromSeconds(6), i => Delivery($"warm-{i}"));
    // The warm-up's backlog must not be processed while /healthz is measured (it would lower the baseline).
    while (await CountAsync(dbPath, "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'") > 0)
    {
        await Task.Delay(250);
    }

    // Rounds of /healthz then deliveries: the ratio is taken per round (both rates under the same neighbours' load)
    // and the median round is the headline, because a 2-core shared machine swings between rounds.
    var healthRounds = new List<Phase>();
    var hookRounds = new List<Phase>();
    long deliveryNumber = 0;
    for (var round = 0; round < rounds; round++)
    {
        healthRounds.Add(await MeasureAsync(server.Id, () => RunAsync(http, connections, TimeSpan.FromSeconds(seconds), _ => Healthz())));
        hookRounds.Add(await MeasureAsync(server.Id, () => RunAsync(http, connections, TimeSpan.FromSeconds(seconds), _ => Delivery($"bench-{Interlocked.Increment(ref deliveryNumber)}"))));
        while (await CountAsync(dbPath, "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'") > 0)
        {
            await Task.Delay(250);
        }
    }

    var peakKb = PeakMemoryKb(server.Id);

    // Count check: every 2xx delivery must be a row (stored before the answer), and all get processed.
    var stored = await CountAsync(dbPath, "SELECT count(*) FROM webhook_deliveries WHERE delivery_id LIKE 'bench-%'");
    var drain = Stopwatch.StartNew();
    var deadline = DateTime.UtcNow.AddSeconds(120);
    long pending;
    while ((pending = await CountAsync(dbPath, "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'")) > 0 && DateTime.UtcNow < deadline)
    {
        await Task.Delay(250);
    }

    drain.Stop();
    var processed = await CountAsync(dbPath, "SELECT count(*) FROM webhook_deliveries WHERE delivery_id LIKE 'bench-%' AND status = 'processed'");
    var inv = CultureInfo.InvariantCulture;
    Console.WriteLine(string.Create(inv, $"connections={connections} seconds={seconds} rounds={rounds} cpus={Environment.ProcessorCount} keep-bodies={args.Contains("--keep-bodies")}"));
    var ratios = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        var (h, d) = (healthRounds[round], hookRounds[round]);
        ratios.Add(d.Result.Rate / h.Result.Rate);
        Console.WriteLine(string.Create(inv, $"round {round + 1}: /healthz {h.Result.Rate,7:F0} req/s, deliveries {d.Result.Rate,6:F0}/s, ratio {ratios[^1]:F3}; server CPU per request {h.ServerCpuUs:F0} / {d.ServerCpuUs:F0} us, load generator {h.ClientCpuUs:F0} / {d.ClientCpuUs:F0} us, machine busy {h.BusyPercent:F0} / {d.BusyPercent:F0} %"));
    }

    var health = Combine(healthRounds);
    var hooks = Combine(hookRounds);
    Console.WriteLine(string.Create(inv, $"/healthz            : {health.Rate,8:F0} req/s  p50 {health.P50,6:F2} ms  p99 {health.P99,6:F2} ms  ok {health.Ok} errors {health.Errors}"));
    Console.WriteLine(string.Create(inv, $"/api/webhooks/github: {hooks.Rate,8:F0} req/s  p50 {hooks.P50,6:F2} ms  p99 {hooks.P99,6:F2} ms  2xx {hooks.Ok} 503 {hooks.Busy} other {hooks.Errors}"));
    Console.WriteLine(string.Create(inv, $"ratio deliveries/healthz: median of rounds {Median(ratios):F2} (rounds {string.Join(", ", ratios.Select(r => r.ToString("F2", inv)))}; all rounds pooled {hooks.Rate / health.Rate:F2})"));
    Console.WriteLine(string.Create(inv, $"server CPU per request: /healthz {healthRounds.Sum(p => p.ServerCpuSeconds) / health.Ok * 1e6:F0} us; delivery {hookRounds.Sum(p => p.ServerCpuSeconds) / hooks.Ok * 1e6:F0} us"));
    Console.WriteLine(string.Create(inv, $"load generator CPU per request: /healthz {healthRounds.Sum(p => p.ClientCpuSeconds) / health.Ok * 1e6:F0} us; delivery {hookRounds.Sum(p => p.ClientCpuSeconds) / hooks.Ok * 1e6:F0} us"));
    Console.WriteLine(string.Create(inv, $"server peak RSS = {peakKb / 1024.0:F0} MiB"));
    Console.WriteLine(string.Create(inv, $"count check: 2xx answered {hooks.Ok}, rows stored {stored}, lost {hooks.Ok - stored}, processed {processed}, still pending {pending}"));
    Console.WriteLine(string.Create(inv, $"inbox backlog drained {drain.Elapsed.TotalSeconds:F1} s after the run"));
    return hooks.Ok == stored ? 0 : 1;

    HttpRequestMessage Healthz() => new(HttpMethod.Get, "/healthz");

    HttpRequestMessage Delivery(string id)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/github") { Content = content };
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", id);
        request.Headers.Add("X-Hub-Signature-256", signature);
        return request;
    }
}
finally
{
    server.Kill(entireProcessTree: true);
    await server.WaitForExitAsync();
    SqliteConnection.ClearAllPools();
    try
    {
        work.Delete(recursive: true);
    }
    catch (IOException)
    {
        // Temp folder; the OS cleans it.
    }
}

static async Task<Phase> MeasureAsync(int serverPid, Func<Task<Result>> run)
{
    var server0 = ServerCpuSeconds(serverPid);
    var client0 = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
    var machine0 = MachineBusy();
    var result = await run();
    var server1 = ServerCpuSeconds(serverPid);
    var client1 = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
    var machine1 = MachineBusy();
    return new Phase(result, server1 - server0, client1 - client0, 100.0 * (machine1.Busy - machine0.Busy) / (machine1.Total - machine0.Total));
}

static Result Combine(IReadOnlyList<Phase> phases)
{
    var all = phases.SelectMany(p => p.Result.Latencies).Order().ToArray();
    return new Result(phases.Average(p => p.Result.Rate), Percentile(all, 0.50), Percentile(all, 0.99),
        phases.Sum(p => p.Result.Ok), phases.Sum(p => p.Result.Busy), phases.Sum(p => p.Result.Errors), all);
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static async Task<Result> RunAsync(HttpClient http, int connections, TimeSpan duration, Func<long, HttpRequestMessage> make)
{
    long counter = 0, ok = 0, busy = 0, errors = 0;
    var latencies = new List<double>[connections];
    var stop = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, connections).Select(async w =>
    {
        var mine = latencies[w] = new List<double>(100_000);
        while (stop.Elapsed < duration)
        {
            var i = Interlocked.Increment(ref counter);
            using var request = make(i);
            var t = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                if ((int)response.StatusCode is >= 200 and < 300)
                {
                    Interlocked.Increment(ref ok);
                }
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    Interlocked.Increment(ref busy);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref errors);
            }
        }
    }).ToArray();
    await Task.WhenAll(workers);
    var elapsed = stop.Elapsed.TotalSeconds;
    var all = latencies.SelectMany(l => l).Order().ToArray();
    return new Result(ok / elapsed, Percentile(all, 0.50), Percentile(all, 0.99), ok, busy, errors, all);
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

static async Task WaitForServerAsync(HttpClient http)
{
    var deadline = DateTime.UtcNow.AddSeconds(60);
    while (DateTime.UtcNow < deadline)
    {
        try
        {
            using var response = await http.GetAsync("/healthz");
            if (response.IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
        }

        await Task.Delay(200);
    }

    throw new TimeoutException("the server did not come up");
}

static long PeakMemoryKb(int pid)
{
    var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}

// utime + stime of the server process in seconds (Linux /proc; clock ticks of 1/100 s).
static double ServerCpuSeconds(int pid)
{
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}

// Busy and total jiffies of all CPUs (Linux /proc/stat; idle and iowait count as not busy).
static (long Busy, long Total) MachineBusy()
{
    var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
    var total = fields.Take(8).Sum();
    return (total - fields[3] - fields[4], total);
}

static async Task<long> CountAsync(string dbPath, string sql)
{
    await using var connection = new SqliteConnection($"Data Source={dbPath};Mode=ReadOnly");
    await connection.OpenAsync();
    await using var command = connection.CreateCommand();
    command.CommandText = sql;
    return (long)(await command.ExecuteScalarAsync())!;
}

int Arg(string name, int fallback) => ArgText(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

string? ArgText(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Attribution.sln")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}

internal sealed record Result(double Rate, double P50, double P99, long Ok, long Busy, long Errors, double[] Latencies);

internal sealed record Phase(Result Result, double ServerCpuSeconds, double ClientCpuSeconds, double BusyPercent)
{
    public double ServerCpuUs => ServerCpuSeconds / Result.Ok * 1e6;

    public double ClientCpuUs => ClientCpuSeconds / Result.Ok * 1e6;
}
