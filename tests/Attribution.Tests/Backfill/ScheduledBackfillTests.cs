using Attribution.Backfill;
using Attribution.Hosting;
using Attribution.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Attribution.Common;

namespace Attribution.Tests.Backfill;

public sealed class ScheduledBackfillTests
{
    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Serve_ConfiguredRepositories_AreBackfilledOnStartPastAFailingOneAndSignalled(string provider)
    {
        await using var fake = await BackfillHarness.CreateAsync(TestProviders.Sqlite);
        FakeGitHub.Arrange(fake);
        FakeGitLab.Arrange(fake);
        await using var app = await AttributionApp.StartAsync(provider, new Dictionary<string, string?>
        {
            ["Attribution:Backfill:Schedule"] = "01:00:00",
            ["Attribution:Backfill:Since"] = "36500d",
            ["Attribution:Backfill:GitHub:0"] = "nobody/nothing", // 404 from the fake: logged, the others still run
            ["Attribution:Backfill:GitHub:1"] = FakeGitHub.Repo,
            ["Attribution:Backfill:GitLab:0"] = FakeGitLab.Project,
            ["Attribution:GitHub:ApiUrl"] = fake.GitHubApiUrl,
            ["Attribution:GitHub:Token"] = "t",
            ["Attribution:GitLab:Url"] = fake.Server.Url,
            ["Attribution:GitLab:Token"] = "t",
        });
        var signal = app.Services.GetRequiredService<ChangeSignal>();

        long count = 0;
        for (var i = 0; i < 100 && count < 6; i++)
        {
            await Task.Delay(200);
            await using var connection = await app.Database.Connections.OpenAsync(CancellationToken.None);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM pr_outcomes";
            count = Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        count.Should().Be(6, "three GitHub PRs and three GitLab MRs");
        app.Services.GetServices<IHostedService>().OfType<BackfillHostedService>().Should().ContainSingle();
        signal.Version.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Serve_NothingConfigured_RegistersNoBackfillService()
    {
        await using var app = await AttributionApp.StartAsync(TestProviders.Sqlite);

        app.Services.GetServices<IHostedService>().OfType<BackfillHostedService>().Should().BeEmpty();
    }
}
