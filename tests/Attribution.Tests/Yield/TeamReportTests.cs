using System.Net;
using System.Text.Json;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Attribution.Tests.Pages;
using Attribution.Tests.Hosting;

namespace Attribution.Tests.Yield;

/// <summary>
/// <c>GET /api/team</c> and <c>/team</c> on the seeded graph plus a second developer, a fix, line outcomes and a failed
/// first CI try: each figure checked by hand, the page's exports equal to its tables, and the yield report agreeing.
/// </summary>
public sealed class TeamReportTests
{
    private const string Ann = "ann@example.com";

    private static async Task<AttributionApp> StartAsync(string provider)
    {
        var host = await DashboardSeed.StartHostAsync(provider, seed: true);
        await using var c = await host.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None);
        // The gadgets commit is Ann's; a fix lands on the committed session's commit; C1 and C3 have line figures.
        await c.ExecuteAsync("UPDATE commits SET author_name = 'Ann', author_email = 'Ann@Example.com' WHERE sha = @Sha", new { Sha = DashboardSeed.C6 });
        await c.ExecuteAsync("""
            INSERT INTO downstream_touches (repo_slug, target_kind, target_key, touch_sha, classification, touched_ts, files_json)
            VALUES (@Repo, 'commit', @Target, @Touch, 'fix', @At, '["src/log.cs"]')
            """, new { Repo = DashboardSeed.Repo, Target = DashboardSeed.C4, Touch = new string('9', 40), At = DashboardSeed.Now.AddHours(-2) });
        await c.ExecuteAsync("""
            INSERT INTO line_outcomes (repo_slug, target_kind, target_key, lines_written, lines_at_head, lines_after_14d, lines_after_30d,
                                       lines_rewritten_by_others, head_sha, fingerprint, computed_ts)
            VALUES (@Repo, 'commit', @C1, 10, 8, 9, NULL, 2, NULL, 'f1', @Now), (@Repo, 'commit', @C3, 10, 0, 0, 0, 0, NULL, 'f3', @Now)
            """, new { Repo = DashboardSeed.Repo, DashboardSeed.C1, DashboardSeed.C3, Now = DashboardSeed.Now.UtcDateTime.ToString("o") });
        host.Services.GetRequiredService<Attribution.Common.ChangeSignal>().Notify("test");
        return host;
    }

    private static async Task<JsonElement> GetJsonAsync(AttributionApp host, string url)
    {
        using var client = host.CreateHttpClient();
        using var response = await client.GetAsync(url);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static JsonElement Setup(JsonElement doc, string agent, string model) =>
        doc.GetProperty("setups").EnumerateArray().Single(s => s.GetProperty("agent").GetString() == agent && s.GetProperty("model").GetString() == model);

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ApiTeam_AllTime_FiguresPerSetupRepoAndDeveloper(string provider)
    {
        await using var host = await StartAsync(provider);

        var doc = await GetJsonAsync(host, "/api/team?since=all");

        var t = doc.GetProperty("totals");
        t.GetProperty("sessions").GetInt32().Should().Be(7);
        t.GetProperty("heldUpPrs").GetInt32().Should().Be(1, "#42 merged and its session is still good; #44 was reverted, gadgets#7 is too young");
        t.GetProperty("heldUpPrsPer100Usd").GetDouble().Should().BeApproximately(100 / 5.30, 1e-3);
        t.GetProperty("fixed").GetInt32().Should().Be(1);
        t.GetProperty("fixRate").GetDouble().Should().Be(0.2, "1 fixed of 5 sessions with work");
        t.GetProperty("ciFirstPassed").GetInt32().Should().Be(1, "C1's only run passed");
        t.GetProperty("ciFirstJudged").GetInt32().Should().Be(2, "C2's first github-actions run failed (its circleci run passed)");
        t.GetProperty("linesWritten").GetInt32().Should().Be(20);
        t.GetProperty("lineSurvivalAtHead").GetDouble().Should().Be(0.4, "8 of C1's 10 and none of C3's 10");
        t.GetProperty("lineSurvival30d").GetDouble().Should().Be(0, "only C3 is 30 days old: none of its lines are left");

        // The setup with the most held-up PRs per dollar comes first.
        doc.GetProperty("setups")[0].GetProperty("model").GetString().Should().Be("claude-opus-4-6");
        var opus = Setup(doc, "claude-code", "claude-opus-4-6").GetProperty("totals");
        opus.GetProperty("sessions").GetInt32().Should().Be(4);
        opus.GetProperty("heldUpPrsPer100Usd").GetDouble().Should().BeApproximately(100 / 4.10, 1e-3);
        Setup(doc, "claude-code", "claude-sonnet-4-5").GetProperty("totals").GetProperty("fixRate").GetDouble().Should().Be(1);

        var repos = doc.GetProperty("repos").EnumerateArray().ToDictionary(r => r.GetProperty("repo").GetString() ?? "(none)", r => r.GetProperty("totals").GetProperty("sessions").GetInt32());
        repos.Should().Equal(new Dictionary<string, int> { [DashboardSeed.Repo] = 5, [DashboardSeed.OtherRepo] = 1, ["(none)"] = 1 });

        var developers = doc.GetProperty("developers").EnumerateArray().ToDictionary(d => d.GetProperty("key").GetString() ?? "(none)", d => d.GetProperty("totals").GetProperty("sessions").GetInt32());
        developers.Should().Equal(new Dictionary<string, int> { ["dev@example.com"] = 4, ["(none)"] = 2, [Ann] = 1 },
            "the abandoned session's only link is below the threshold and the no-repo session has none");

        // The yield report computes the same session figures.
        var yield = (await GetJsonAsync(host, "/api/yield?since=all")).GetProperty("totals");
        foreach (var field in new[] { "sessions", "costUsd", "prsMerged", "stillGoodRate", "revertRate", "fixRate", "ciFirstPassRate", "heldUpPrs" })
        {
            yield.GetProperty(field).GetRawText().Should().Be(t.GetProperty(field).GetRawText(), field);
        }
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ApiTeam_DeveloperAndRepoViews_KeepOnlyTheirSessions(string provider)
    {
        await using var host = await StartAsync(provider);

        var ann = await GetJsonAsync(host, "/api/team?since=all&developer=ANN@example.com");
        ann.GetProperty("totals").GetProperty("sessions").GetInt32().Should().Be(1);
        ann.GetProperty("developers").EnumerateArray().Select(d => d.GetProperty("name").GetString()).Should().Equal("Ann");
        (await GetJsonAsync(host, "/api/team?since=all&developer=Ann")).GetProperty("totals").GetProperty("sessions").GetInt32().Should().Be(1, "a name works as well as an email");

        var repo = await GetJsonAsync(host, "/api/team?since=all&repo=" + Uri.EscapeDataString(DashboardSeed.Repo));
        repo.GetProperty("totals").GetProperty("sessions").GetInt32().Should().Be(5);
        repo.GetProperty("repos").GetArrayLength().Should().Be(1);

        // Without a period the API answers for the page's default one, so the two agree on a first visit.
        var unset = await GetJsonAsync(host, "/api/team");
        var ninety = await GetJsonAsync(host, "/api/team?since=" + Attribution.Yield.TeamService.DefaultPeriod);
        unset.GetProperty("period").GetString().Should().Be(ninety.GetProperty("period").GetString()).And.Contain("90");
        unset.GetProperty("totals").GetRawText().Should().Be(ninety.GetProperty("totals").GetRawText());
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ApiTeam_Trends_BucketEverySessionOnceFromTheFirstToTheLast(string provider)
    {
        await using var host = await StartAsync(provider);

        var doc = await GetJsonAsync(host, "/api/team?since=all");

        doc.GetProperty("bucket").GetString().Should().Be("week", "the sessions span 25 days");
        var buckets = doc.GetProperty("buckets").EnumerateArray().Select(b => b.GetProperty("start").GetDateTimeOffset()).ToList();
        buckets.Should().OnlyContain(b => b.DayOfWeek == DayOfWeek.Monday);
        buckets[0].Should().Be(new DateTimeOffset(2026, 10, 26, 0, 0, 0, TimeSpan.Zero), "the first session started on Monday 26 October");
        buckets[^1].Should().Be(new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.Zero), "all time ends at the last session's week, not later");

        var trends = doc.GetProperty("trends").EnumerateArray().ToList();
        trends[0].GetProperty("agent").ValueKind.Should().Be(JsonValueKind.Null, "the first series is all setups together");
        trends.Should().HaveCount(1 + doc.GetProperty("setups").GetArrayLength());
        trends[0].GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("sessions").GetInt32()).Should().Be(7);
        trends.Skip(1).Sum(s => s.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("sessions").GetInt32())).Should().Be(7);

        var months = await GetJsonAsync(host, "/api/team?since=all&bucket=month");
        months.GetProperty("buckets").EnumerateArray().Select(b => b.GetProperty("label").GetString()).Should().Equal("Oct 2026", "Nov 2026");
    }

    [Theory]
    [InlineData("/api/team?since=yesterday-ish", "since")]
    [InlineData("/api/team?bucket=fortnight", "bucket")]
    [InlineData("/api/team?minConfidence=2", "minConfidence")]
    [InlineData("/api/team?stillGoodDays=x", "stillGoodDays")]
    public async Task ApiTeam_BadQuery_IsAProblemNamingTheField(string url, string field)
    {
        await using var host = await DashboardSeed.StartHostAsync(TestProviders.Sqlite, seed: false);
        using var client = host.CreateHttpClient();

        using var response = await client.GetAsync(url);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        doc.GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TeamPage_Exports_HoldTheRowsOfItsTables()
    {
        await using var host = await StartAsync(TestProviders.Sqlite);
        using var client = host.CreateHttpClient();

        var html = await client.GetStringAsync("/team?period=all");
        html.Should().Contain("id=\"setups\"").And.Contain("id=\"developers\"").And.Contain("id=\"repos\"").And.Contain("id=\"trend-chart\"");

        var csv = await client.GetStringAsync("/team?period=all&format=csv&table=setups");
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().StartWith("Agent,Model,Sessions,Cost,Merged PRs,Held-up PRs,Held-up PRs per $100");
        lines.Should().HaveCount(1 + 3, "three agent/model setups");
        lines[1].Should().StartWith("claude-code,claude-opus-4-6,4,$4.10,2,1,24.39,");

        var json = JsonDocument.Parse(await client.GetStringAsync("/team?period=all&format=json")).RootElement;
        json.EnumerateObject().Select(p => p.Name).Should().Equal("setups", "repos", "developers", "trend");
        json.GetProperty("developers").EnumerateArray().Select(d => d.GetProperty("Developer").GetString()).Should().Equal("Dev", "no linked commit", "Ann");

        using var unknown = await client.GetAsync("/team?period=all&format=csv&table=nope");
        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await unknown.Content.ReadAsStringAsync()).Should().Contain("setups, repos, developers, trend");
        using var noTable = await client.GetAsync("/team?period=all&format=csv");
        noTable.StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var developerView = await client.GetStringAsync("/team?period=all&developer=" + Uri.EscapeDataString(Ann));
        developerView.Should().Contain("<h1 id=\"team-title\">Developer Ann</h1>");
        var repoView = await client.GetStringAsync("/team?period=all&repo=" + Uri.EscapeDataString(DashboardSeed.OtherRepo));
        repoView.Should().Contain("Repository acme/gadgets").And.NotContain("id=\"repos\"");
    }

    [Fact]
    public async Task TeamPage_HostileQuery_ShowsNoticesNotErrors()
    {
        await using var host = await StartAsync(TestProviders.Sqlite);
        using var client = host.CreateHttpClient();

        using var response = await client.GetAsync("/team?period=%3Cscript%3E&bucket=decade&metric=vibes&developer=%3Cb%3Ex");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("is not a period").And.Contain("is not a bucket size").And.Contain("is not a trend figure");
        html.Should().NotContain("<script>").And.NotContain("<b>x");
    }
}
