using Dapper;

namespace Attribution.Tests.Infrastructure;

/// <summary>Waits, bounded, for background work (the webhook inbox, sweepers) to store what a test expects.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="countSql"/> until it counts at least <paramref name="expected"/> rows (10 s at most).</summary>
    public static async Task CountAtLeastAsync(TestDatabase database, string countSql, object? parameters = null, long expected = 1)
    {
        for (var i = 0; i < 200; i++)
        {
            await using var connection = await database.Connections.OpenAsync(CancellationToken.None);
            if (await connection.ExecuteScalarAsync<long>(countSql, parameters) >= expected)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"not stored in time: {countSql}");
    }
}
