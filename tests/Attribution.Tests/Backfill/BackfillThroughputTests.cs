using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Attribution.Backfill;
using Attribution.Tests.Infrastructure;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using Xunit.Abstractions;

namespace Attribution.Tests.Backfill;

/// <summary>
/// Throughput against the local fake API (bench/backfill/README.md). Small by default so it stays a test;
/// <c>ATTRIBUTION_BENCH_PRS=2000</c> runs a longer measurement.
/// </summary>
public sealed class BackfillThroughputTests(ITestOutputHelper output)
{
    [BenchTheory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Run_ManyPullRequests_StoresAllAndReportsThroughput(string provider)
    {
        var count = int.TryParse(System.Environment.GetEnvironmentVariable("ATTRIBUTION_BENCH_PRS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 200;
        await using var h = await BackfillHarness.CreateAsync(provider);
        const string Base = "/api/v3/repos/bench/repo";
        var pages = (count + 99) / 100;
        for (var page = 1; page <= pages; page++)
        {
            var items = new JsonArray();
            for (var i = (page - 1) * 100; i < Math.Min(count, page * 100); i++)
            {
                var pr = FakeGitHub.Pr2();
                pr["number"] = i + 1;
                pr["updated_at"] = BackfillHarness.Start.AddMinutes(-i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                pr["head"]!["sha"] = (i + 1).ToString("x40", CultureInfo.InvariantCulture);
                items.Add(pr);
            }

            var headers = page < pages ? new Dictionary<string, string> { ["Link"] = $"<{h.Server.Url}{Base}/pulls?page={page + 1}>; rel=\"next\"" } : null;
            h.Json(Base + "/pulls", items, query: new() { ["page"] = page.ToString(CultureInfo.InvariantCulture) }, headers: headers);
        }

        Answer(h, Base + "/pulls/*/commits", new JsonArray(FakeGitHub.Commit(FakeGitHub.HeadSha2, "Update README", FakeGitHub.HeadSha1)).ToJsonString());
        Answer(h, Base + "/commits/*/check-runs", """{"total_count":1,"check_runs":[]}""");
        Answer(h, Base + "/commits/*/statuses", "[]");
        Answer(h, Base + "/actions/runs", """{"total_count":0,"workflow_runs":[]}""");

        var watch = Stopwatch.StartNew();
        var stats = await h.Service().RunGitHubAsync("bench/repo", null, null, NoProgress.Instance, CancellationToken.None);
        watch.Stop();

        stats.PullRequestsNew.Should().Be(count);
        (await h.ScalarAsync<long>("SELECT count(*) FROM pr_outcomes WHERE repo_slug = 'bench/repo'")).Should().Be(count);
        output.WriteLine($"{provider}: {count} PRs, {stats.ApiCalls} API calls in {watch.Elapsed.TotalSeconds:0.00}s = {count / watch.Elapsed.TotalSeconds:0} PRs/s, {stats.ApiCalls / watch.Elapsed.TotalSeconds:0} calls/s");
    }

    private static void Answer(BackfillHarness h, string pattern, string body) =>
        h.Server.Given(Request.Create().WithPath(new WildcardMatcher(pattern)).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));
}
