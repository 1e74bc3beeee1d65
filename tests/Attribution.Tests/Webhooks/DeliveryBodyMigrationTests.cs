using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Dapper;

namespace Attribution.Tests.Webhooks;

public sealed class DeliveryBodyMigrationTests
{
    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Upgrade_DeliveriesStoredBefore0010_KeepTheirBodiesByteForByteAndTheirHashes(string provider)
    {
        await using var db = await TestDatabase.CreateEmptyAsync(provider);
        var runner = await MigratedBefore.MigrateAsync(db, "0010");
        byte[] first = [.. "{\"a\":1}"u8], second = [0, 255, 10, 13, 34];
        await using (var connection = await db.Connections.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO webhook_deliveries (receiver, delivery_id, event, status, body, body_sha256, received_ts, attempts)
                VALUES ('github', 'old-1', 'ping', 'processed', @First, 'x', '2026-11-01T00:00:00.0000000Z', 1),
                       ('gitlab', 'old-2', 'Push Hook', 'pending', @Second, 'y', '2026-11-02T00:00:00.0000000Z', 0)
                """, new { First = first, Second = second });
        }

        var result = await runner.MigrateAsync(CancellationToken.None);

        result.Applied.Should().Contain(v => v.StartsWith("0010", StringComparison.Ordinal));
        await using var check = await db.Connections.OpenAsync(CancellationToken.None);
        var bodies = (await check.QueryAsync<(string, byte[])>(
            "SELECT d.delivery_id, b.body FROM webhook_deliveries d JOIN webhook_delivery_bodies b ON b.delivery_row_id = d.id ORDER BY d.delivery_id")).ToList();
        bodies.Select(b => b.Item1).Should().Equal("old-1", "old-2");
        bodies[0].Item2.Should().Equal(first);
        bodies[1].Item2.Should().Equal(second);

        // 0011: the hashes stay, the column takes NULL now, and the inbox's index is over pending rows only.
        (await check.QueryAsync<string>("SELECT body_sha256 FROM webhook_deliveries ORDER BY delivery_id")).Should().Equal("x", "y");
        await check.ExecuteAsync(
            "INSERT INTO webhook_deliveries (receiver, delivery_id, event, status, received_ts, attempts) VALUES ('github', 'new-1', 'ping', 'processed', '2026-11-03T00:00:00.0000000Z', 1)");
        (await check.QuerySingleAsync<long>("SELECT count(*) FROM webhook_deliveries WHERE body_sha256 IS NULL")).Should().Be(1);
        var indexes = (await check.QueryAsync<(string Name, string Definition)>(provider == TestProviders.Sqlite
            ? "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'webhook_deliveries' AND sql IS NOT NULL"
            : "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'webhook_deliveries'")).ToList();
        indexes.Select(i => i.Name).Should().NotContain("ix_webhook_deliveries_status");
        indexes.Should().ContainSingle(i => i.Name == "ix_webhook_deliveries_pending")
            .Which.Definition.Should().Contain("WHERE").And.Contain("'pending'");
    }
}
