using System.Diagnostics;
using System.Net;

namespace EngineBench;

/// <summary>One measured phase: requests per second and latency percentiles (ms) of the answers.</summary>
internal sealed record LoadResult(double Rate, double P50, double P99, int Ok, int Failed, double ServerCpuMicros);

/// <summary>
/// Closed-loop HTTP load: <c>connections</c> workers each send a request, wait for the answer, send the next, for a
/// fixed time; every latency is kept (a run is at most a few hundred thousand requests).
/// </summary>
internal static class ApiLoad
{
    /// <summary>Starts a Release <c>attribution serve</c> on the database; the caller kills it.</summary>
    public static Process StartServer(string serverDll, string database, string url, string workDir, bool readCache = true)
    {
        var start = new ProcessStartInfo("dotnet", [serverDll, "serve", "--urls", url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workDir,
        };
        start.Environment["ATTRIBUTION_DB_PROVIDER"] = "sqlite";
        start.Environment["ATTRIBUTION_DB"] = database;
        start.Environment["ATTRIBUTION_WATCH_SESSIONS"] = "false";
        start.Environment["Attribution__Database__ReadCache"] = readCache ? "true" : "false";
        // Request logging off for both endpoints alike (/healthz is never logged at Information).
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        var server = Process.Start(start)!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        return server;
    }

    public static async Task WaitUntilUpAsync(HttpClient http, Process server)
    {
        for (var attempt = 0; attempt < 120; attempt++)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"attribution serve exited with {server.ExitCode}");
            }

            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("attribution serve did not answer /healthz within 30 s");
    }

    /// <summary>Runs <paramref name="connections"/> closed loops for <paramref name="duration"/>; <paramref name="path"/> gives the i-th request's path.</summary>
    public static async Task<LoadResult> RunAsync(HttpClient http, Process server, int connections, TimeSpan duration, Func<int, string> path)
    {
        server.Refresh();
        var serverCpu = server.TotalProcessorTime;
        var latencies = new List<double>[connections];
        var failed = new int[connections];
        var clock = Stopwatch.StartNew();
        var next = -1;
        var workers = Enumerable.Range(0, connections).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>(4096);
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.GetAsync(path(Interlocked.Increment(ref next)), HttpCompletionOption.ResponseContentRead);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                    else
                    {
                        failed[w]++;
                    }
                }
                catch (HttpRequestException)
                {
                    failed[w]++;
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed.TotalSeconds;
        server.Refresh();
        var all = latencies.SelectMany(l => l).Order().ToArray();
        var perRequest = (server.TotalProcessorTime - serverCpu).TotalMicroseconds / Math.Max(1, all.Length + failed.Sum());
        return new LoadResult(all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.99), all.Length, failed.Sum(), perRequest);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
