using Attribution.Store;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Reliability;

/// <summary>
/// Several instances on one PostgreSQL database, as deployed behind a load balancer: two <c>serve</c> processes
/// started at the same moment migrate once, and duplicates sent to both at once have exactly one effect.
/// </summary>
public sealed class ScaleOutTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    [PostgresFact]
    public async Task TwoServeProcessesOnOneDatabase_MigrateOnceAndApplyDuplicatesOnce()
    {
        await using var database = await TestDatabase.CreateEmptyAsync(TestProviders.Postgres);
        var environment = ServeProcess.Environment("postgres", database.Options.Connection);
        await using var first = ServeProcess.Start(environment);
        await using var second = ServeProcess.Start(environment);
        await Task.WhenAll(first.WaitHealthyAsync(Startup), second.WaitHealthyAsync(Startup));
        var db = new ReliabilityDb(database.Connections);
        await AssertMigratedOnceAsync(db);

        var storm = StormDeliveries.Build(10);
        var instances = new[] { first, second };
        var answers = await StormDeliveries.SendAsync(storm, 6, (delivery, copy) =>
            WebhookSender.SendAsync(instances[copy % 2].Webhooks, delivery.Seed, delivery.Body, delivery.Id));

        answers.Should().OnlyContain(a => a.Code == 202 || a.Code == 200, string.Join("\n", first.Log, second.Log));
        foreach (var delivery in storm)
        {
            answers.Count(a => a.Id == delivery.Id && a.Code == 202).Should().Be(1, $"{delivery.Id} is accepted by exactly one instance");
        }

        (await db.DrainAsync(TimeSpan.FromSeconds(30))).Should().Be(0);
        await StormDeliveries.AssertExactlyOnceAsync(db, storm);
    }

    [PostgresFact]
    public async Task MigrateFromTwoProcessesAtOnce_AppliesEachVersionOnce()
    {
        await using var database = await TestDatabase.CreateEmptyAsync(TestProviders.Postgres);
        var environment = new Dictionary<string, string?> { ["ATTRIBUTION_DB_PROVIDER"] = "postgres", ["ATTRIBUTION_DB"] = database.Options.Connection };

        var results = await Task.WhenAll(
            CliProcess.RunAsync(["migrate"], environment, TimeSpan.FromSeconds(60)),
            CliProcess.RunAsync(["migrate"], environment, TimeSpan.FromSeconds(60)));

        results.Should().OnlyContain(r => r.ExitCode == 0, string.Join("\n", results.Select(r => r.StdErr)));
        await AssertMigratedOnceAsync(new ReliabilityDb(database.Connections));
    }

    private static async Task AssertMigratedOnceAsync(ReliabilityDb db)
    {
        var versions = await db.QueryAsync<string>("SELECT version FROM schema_migrations ORDER BY version");
        versions.Should().OnlyHaveUniqueItems();
        versions.Should().Equal(MigrationSource.Ordered(MigrationSource.Embedded(SqlDialect.Postgres)).Select(m => m.Version));
    }
}
