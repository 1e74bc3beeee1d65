using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Webhooks;
using Xunit.Abstractions;

namespace Attribution.Tests.Reliability;

/// <summary>
/// Back-pressure under a burst, measured on the built app as a child process: how many deliveries were accepted,
/// how many answered 503 (each must carry Retry-After), and the server's peak RSS. A measurement (ATTRIBUTION_BENCH=1).
/// </summary>
public sealed class BurstBenchmarks(ITestOutputHelper output)
{
    [BenchTheory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Burst_AnswersAcceptedOr503WithRetryAfter_AndMemoryStaysBounded(string provider)
    {
        var total = Setting("ATTRIBUTION_BURST_TOTAL", 20_000);
        var concurrency = Setting("ATTRIBUTION_BURST_CONCURRENCY", 512);
        await using var database = await TestDatabase.CreateEmptyAsync(provider);
        await using var server = ServeProcess.Start(ServeProcess.Environment(database.Options.Provider, database.Options.Connection));
        await server.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        var client = new SignedWebhookClient(http);
        var baseline = server.PeakRssKib();
        var body = Payloads.GitHub("github/pull_request.opened.json", "burst/svc");
        var codes = new ConcurrentDictionary<int, int>();
        var missingRetryAfter = 0;
        var refused = 0;
        var next = 0;
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var n && n <= total)
            {
                HttpResponseMessage response;
                try
                {
                    response = await client.GitHubAsync("pull_request", body, $"burst-{n}");
                }
                catch (HttpRequestException)
                {
                    // Refused or reset before the app saw it (the listen backlog is full): counted, not an answer.
                    Interlocked.Increment(ref refused);
                    continue;
                }

                using var answered = response;
                codes.AddOrUpdate((int)response.StatusCode, 1, (_, c) => c + 1);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is null)
                {
                    Interlocked.Increment(ref missingRetryAfter);
                }
            }
        }));

        clock.Stop();
        var peak = server.PeakRssKib();
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{provider}: {total} deliveries, concurrency {concurrency}, {clock.Elapsed.TotalSeconds:F1} s ({total / clock.Elapsed.TotalSeconds:F0}/s); answers {string.Join(", ", codes.OrderBy(c => c.Key).Select(c => $"{c.Key}×{c.Value}"))}, connection refused/reset ×{refused}; RSS after start {baseline / 1024} MiB, peak {peak / 1024} MiB");
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("ATTRIBUTION_BURST_REPORT") is { Length: > 0 } report)
        {
            await File.AppendAllTextAsync(report, line + "\n");
        }

        codes.Keys.Should().OnlyContain(c => c == 202 || c == 503);
        missingRetryAfter.Should().Be(0);
        peak.Should().BeLessThan(1024 * 1024, "peak RSS stays under 1 GiB");
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
