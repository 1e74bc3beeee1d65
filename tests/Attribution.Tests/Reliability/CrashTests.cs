using Attribution.Common;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Attribution.Tests.Webhooks;
using Microsoft.Data.Sqlite;

namespace Attribution.Tests.Reliability;

/// <summary>
/// SIGKILL mid-load, three times: after each restart every delivery answered 2xx is stored and processed (its PR
/// row exists); the SQLite file passes <c>PRAGMA integrity_check</c>, and on PostgreSQL the rows are present.
/// </summary>
public sealed class CrashTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ServeKilledMidLoadThreeTimes_KeepsEveryAcknowledgedDelivery(string provider)
    {
        var rounds = int.TryParse(System.Environment.GetEnvironmentVariable("ATTRIBUTION_CRASH_ROUNDS"), out var r) && r > 0 ? r : 3;
        await using var database = await TestDatabase.CreateEmptyAsync(provider);
        var sqlite = provider == TestProviders.Sqlite;
        var file = database.Options.Connection;
        var environment = ServeProcess.Environment(database.Options.Provider, file);
        var repo = "crash-" + Guid.NewGuid().ToString("N")[..10] + "/svc";
        var load = new CrashLoad(repo, 1000);
        try
        {
            for (var round = 1; round <= rounds; round++)
            {
                await using (var server = ServeProcess.Start(environment))
                {
                    await server.WaitHealthyAsync(Startup);
                    await AssertSurvivedAsync(database.Connections, repo, load, round);
                    using var stop = new CancellationTokenSource();
                    var running = load.RunAsync(server.Webhooks, 16, stop.Token);
                    var before = load.Acknowledged.Count;
                    var deadline = DateTime.UtcNow.AddSeconds(10);
                    while (load.Acknowledged.Count < before + 150 && DateTime.UtcNow < deadline)
                    {
                        await Task.Delay(20);
                    }

                    server.Kill();
                    await stop.CancelAsync();
                    await running;
                    load.Acknowledged.Count.Should().BeGreaterThan(before, "the server answered deliveries before it was killed");
                }

                if (sqlite)
                {
                    IntegrityCheck(file).Should().Be("ok", $"the database survives SIGKILL {round}");
                }
            }

            await using var last = ServeProcess.Start(environment);
            await last.WaitHealthyAsync(Startup);
            await AssertSurvivedAsync(database.Connections, repo, load, rounds + 1);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
        }
    }

    /// <summary>After a restart the inbox replays what was pending: wait for it, then check every acknowledged delivery.</summary>
    private static async Task AssertSurvivedAsync(IDbConnectionFactory connections, string repo, CrashLoad load, int round)
    {
        if (load.Acknowledged.IsEmpty)
        {
            return;
        }

        var db = new ReliabilityDb(connections);
        (await db.DrainAsync(TimeSpan.FromSeconds(30))).Should().Be(0, $"the inbox is replayed after restart {round}");
        var stored = (await db.QueryAsync<DeliveryState>("SELECT receiver, delivery_id, status FROM webhook_deliveries WHERE delivery_id LIKE 'crash-%'"))
            .ToDictionary(d => d.DeliveryId, d => d.Status, StringComparer.Ordinal);
        var missing = load.Acknowledged.Keys.Where(id => !stored.ContainsKey(id)).ToList();
        missing.Should().BeEmpty($"every delivery answered 2xx is stored (restart {round})");
        load.Acknowledged.Keys.Where(id => stored[id] != DeliveryStore.Processed).Should().BeEmpty("every stored delivery is processed");
        var numbers = (await db.QueryAsync<long>("SELECT pr_number FROM pr_outcomes WHERE repo_slug = @Repo", new { Repo = RepoSlug.Normalize(repo) })).ToHashSet();
        load.Acknowledged.Values.Where(n => !numbers.Contains(n)).Should().BeEmpty("every acknowledged PR delivery has its effect");
    }

    private static string IntegrityCheck(string file)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }
}
