using System.Globalization;
using System.Text.RegularExpressions;
using Attribution.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Attribution.Tests.Reports;

/// <summary>The product gauges on /metrics carry the yield figures per agent and model, and links per type, after a refresh.</summary>
public sealed class ProductGaugesTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Metrics_AfterARefresh_CarryTheYieldFiguresPerAgentAndModel()
    {
        var app = await fixture.ForAsync(TestProviders.Sqlite);
        var seed = new GraphSeeder(app.Database.Connections);
        var repo = GraphSeeder.NewRepo();
        var agent = "agent-" + Guid.NewGuid().ToString("N")[..8]; // its own label: other tests share the database
        var old = DateTimeOffset.UtcNow.AddDays(-40);
        for (var pr = 1; pr <= 2; pr++)
        {
            var session = GraphSeeder.NewSessionId();
            var sha = GraphSeeder.NewSha();
            await seed.SessionAsync(session, agent, "model-x", repo, 1.5, old.AddHours(-2), old.AddHours(-1));
            await seed.CommitAsync(repo, sha, $"Work {pr}", old);
            await seed.LinkAsync(repo, sha, session, "authored", 1.0);
            await seed.PrAsync(repo, pr, $"PR {pr}", "merged", old, mergedAt: old.AddHours(1), headSha: sha);
            await seed.PrCommitAsync(repo, pr, sha);
            await seed.SessionPrLinkAsync(session, repo, pr);
            if (pr == 2)
            {
                await seed.TouchAsync(repo, "commit", sha, GraphSeeder.NewSha(), "fix", old.AddDays(2));
            }
        }

        // A finished attribution pass refreshes the gauges (the background service waits for it).
        using var client = app.CreateClient();
        app.Services.GetRequiredService<Attribution.Common.PassSignal>().Notify();
        var metrics = "";
        for (var i = 0; i < 300 && !metrics.Contains($"attribution_sessions{{agent=\"{agent}\"", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
            metrics = await client.GetStringAsync("/metrics");
        }

        double Value(string name, string labels)
        {
            var m = Regex.Match(metrics, "^" + Regex.Escape(name + "{" + labels + "}") + " (\\S+)$", RegexOptions.Multiline, TimeSpan.FromSeconds(5));
            m.Success.Should().BeTrue($"{name}{{{labels}}} is on /metrics");
            return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        var labels = $"agent=\"{agent}\",model=\"model-x\"";
        Value("attribution_sessions", labels).Should().Be(2);
        Value("attribution_merged_prs", labels).Should().Be(2);
        Value("attribution_cost_usd", labels).Should().Be(3.0);
        Value("attribution_cost_per_merged_pr_usd", labels).Should().Be(1.5);
        Value("attribution_still_good_ratio", labels).Should().Be(0.5, "one of the two merged sessions had a fix within 14 days");
        Value("attribution_held_up_prs", labels).Should().Be(1, "the PR of the session whose work is still good");
        Value("attribution_fix_ratio", labels).Should().Be(0.5);
        Value("attribution_commit_links", "link_type=\"authored\"").Should().BeGreaterThanOrEqualTo(2);
    }
}
