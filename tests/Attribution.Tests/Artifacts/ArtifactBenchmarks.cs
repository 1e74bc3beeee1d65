using System.Diagnostics;
using System.Globalization;
using Attribution.Artifacts;
using Attribution.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Attribution.Tests.Artifacts.ArtifactTestData;

namespace Attribution.Tests.Artifacts;

/// <summary>
/// Small, reproducible figures (bench/artifacts/README.md): marker verification throughput, capture throughput
/// and API resolution latency. Sizes scale with ATTRIBUTION_BENCH_SCALE (default 1); bounds are generous so the
/// test fails only on a real regression (e.g. a lost index or a per-request full scan).
/// </summary>
public sealed class ArtifactBenchmarks(ITestOutputHelper output)
{
    private static int Scale => int.TryParse(Environment.GetEnvironmentVariable("ATTRIBUTION_BENCH_SCALE"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 1;

    [BenchFact]
    public void Bench_VerifyCommentMarkers_ThroughputAboveFloor()
    {
        var count = 20_000 * Scale;
        var bodies = Enumerable.Range(0, 100).Select(i => "Review text " + i + "\n" + Marker("owner/repo", 7, "session-" + i)).ToArray();
        var sw = Stopwatch.StartNew();
        var valid = 0;
        for (var i = 0; i < count; i++)
        {
            valid += AttributionMarkers.CheckBody(bodies[i % bodies.Length], Key, "owner/repo", 7)!.IsValid ? 1 : 0;
        }

        sw.Stop();
        var perSecond = count / sw.Elapsed.TotalSeconds;
        output.WriteLine($"verify: {count} markers in {sw.ElapsedMilliseconds} ms = {perSecond:0} markers/s");
        valid.Should().Be(count);
        perSecond.Should().BeGreaterThan(5_000);
    }

    [BenchTheory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Bench_CaptureAndResolve_LatencyBelowCeiling(string provider)
    {
        var artifacts = 500 * Scale;
        var requests = 200;
        await using var app = await AttributionApp.StartAsync(provider, new Dictionary<string, string?>
        {
            ["Attribution:Signing:Secret"] = Secret,
            ["Attribution:Signing:InstanceId"] = InstanceId,
            ["Attribution:Artifacts:SweepIntervalSeconds"] = "3600",
        });
        var capture = app.Services.GetRequiredService<ArtifactCapture>();
        const string repo = "bench/repo";
        var now = DateTimeOffset.UtcNow;
        for (var s = 0; s < 50; s++)
        {
            await SeedSessionAsync(app.Database, "bench-" + s, "claude-code", now.AddHours(-1));
        }

        var sw = Stopwatch.StartNew();
        for (var i = 0; i < artifacts; i++)
        {
            await capture.CaptureFeedbackAsync(
                ReviewComment(repo, Marker(repo, 1 + (i % 100), "bench-" + (i % 50)), id: (10_000 + i).ToString(CultureInfo.InvariantCulture), reviewId: (90_000 + i).ToString(CultureInfo.InvariantCulture))
                    with { PrNumber = 1 + (i % 100), Path = $"src/file{i % 37}.cs" },
                CancellationToken.None);
        }

        sw.Stop();
        output.WriteLine($"capture ({provider}): {artifacts} review comments in {sw.ElapsedMilliseconds} ms = {artifacts / sw.Elapsed.TotalSeconds:0}/s");

        using var client = app.CreateClient();
        var latencies = new List<double>(requests);
        for (var i = 0; i < requests; i++)
        {
            var n = i * 7 % artifacts;
            var query = (i % 4) switch
            {
                0 => $"repo={repo}&reviewCommentId={10_000 + n}",
                1 => $"repo={repo}&reviewCommentId=5&inReplyToId={10_000 + n}",
                2 => $"repo={repo}&reviewCommentId=5&reviewId={90_000 + n}",
                _ => $"repo={repo}&pr={1 + (n % 100)}&path=src/file{n % 37}.cs",
            };
            var one = Stopwatch.StartNew();
            using var response = await client.GetAsync("/api/attribution/artifact?" + query);
            one.Stop();
            response.IsSuccessStatusCode.Should().BeTrue();
            latencies.Add(one.Elapsed.TotalMilliseconds);
        }

        latencies.Sort();
        var p50 = latencies[latencies.Count / 2];
        var p95 = latencies[(int)(latencies.Count * 0.95)];
        output.WriteLine($"resolve ({provider}): {requests} requests over {artifacts} artifacts, p50 {p50:0.0} ms, p95 {p95:0.0} ms");
        p95.Should().BeLessThan(250);
    }
}
