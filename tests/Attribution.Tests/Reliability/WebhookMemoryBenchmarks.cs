using System.Net;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Reliability;

/// <summary>
/// 80 concurrent 25 MiB webhook bodies, unsigned and then with well-formed wrong signatures, against the real server
/// (default 64 MiB in-flight body budget): its peak resident memory stays under a stated bound (before the budget:
/// 40 such bodies took it from 120 MB to 1.1 GB, 80 to 2.1 GB). A measurement (ATTRIBUTION_BENCH=1); figures in
/// docs/reliability.md.
/// </summary>
public sealed class WebhookMemoryBenchmarks
{
    private const int Concurrency = 80;
    private const long BoundKib = 512L * 1024;

    [BenchFact]
    public async Task EightyConcurrentLargeBodies_PeakMemoryBounded()
    {
        await using var database = await TestDatabase.CreateEmptyAsync(TestProviders.Sqlite);
        await using var server = ServeProcess.Start(ServeProcess.Environment("sqlite", database.Options.Connection));
        await server.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        var startKib = server.PeakRssKib();
        var body = new byte[25 * 1024 * 1024];
        Array.Fill(body, (byte)' ');
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };

        var unsigned = await RunAsync(http, body, signature: null);
        var afterUnsignedKib = server.PeakRssKib();
        var badlySigned = await RunAsync(http, body, signature: "sha256=" + new string('0', 64));
        var peakKib = server.PeakRssKib();

        var report = $"webhook memory: start {startKib / 1024} MiB; 80 unsigned 25 MiB bodies → peak {afterUnsignedKib / 1024} MiB ({Describe(unsigned)}); "
            + $"80 wrongly signed → peak {peakKib / 1024} MiB ({Describe(badlySigned)}); bound {BoundKib / 1024} MiB";
        Console.WriteLine(report);
        if (Environment.GetEnvironmentVariable("ATTRIBUTION_BURST_REPORT") is { Length: > 0 } file)
        {
            await File.AppendAllTextAsync(file, report + Environment.NewLine);
        }

        peakKib.Should().BeLessThan(BoundKib, report);
        badlySigned.Keys.Should().OnlyContain(k => k == "403" || k == "503" || k == "error", report);
    }

    private static async Task<Dictionary<string, int>> RunAsync(HttpClient http, byte[] body, string? signature)
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/github") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add("X-GitHub-Event", "push");
            request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
            if (signature is not null)
            {
                request.Headers.Add("X-Hub-Signature-256", signature);
            }

            try
            {
                using var response = await http.SendAsync(request);
                return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (HttpRequestException)
            {
                // The server answered early and closed the connection while the body was still being sent.
                return "error";
            }
        }));
        return answers.GroupBy(a => a).ToDictionary(g => g.Key, g => g.Count());
    }

    private static string Describe(Dictionary<string, int> answers) =>
        string.Join(", ", answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Value}× {a.Key}"));
}
