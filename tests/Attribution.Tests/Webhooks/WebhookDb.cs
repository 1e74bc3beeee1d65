using Attribution.Store;
using Dapper;

namespace Attribution.Tests.Webhooks;

/// <summary>Test-side reads of the webhook tables (raw SQL is fine in test helpers).</summary>
public sealed class WebhookDb(IDbConnectionFactory connections)
{
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? param = null)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<T>(sql, param)).AsList();
    }

    public async Task<T?> SingleAsync<T>(string sql, object? param = null)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        return await connection.QuerySingleOrDefaultAsync<T>(sql, param);
    }

    public async Task<long> CountAsync(string sql, object? param = null)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>(sql, param);
    }

    public async Task ExecuteAsync(string sql, object? param = null)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(sql, param);
    }

    /// <summary>Waits until the delivery left the inbox and returns its row.</summary>
    public async Task<DeliveryRow> ProcessedAsync(string receiver, string deliveryId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var row = await SingleAsync<DeliveryRow>(
                "SELECT id, receiver, delivery_id, event, action, repo_slug, status, reason, attempts FROM webhook_deliveries WHERE receiver = @receiver AND delivery_id = @deliveryId",
                new { receiver, deliveryId });
            if (row is not null && row.Status is "processed" or "failed")
            {
                return row;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"delivery {receiver}/{deliveryId} was not processed (status {row?.Status ?? "missing"}).");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>Row counts of every table a delivery can write (to prove nothing was written).</summary>
    public async Task<long> TotalRowsAsync()
    {
        long total = 0;
        foreach (var table in new[] { "webhook_deliveries", "webhook_delivery_bodies", "pr_outcomes", "pr_commits", "ci_runs", "commits", "commit_files", "commit_refs", "pr_feedback" })
        {
            total += await CountAsync($"SELECT count(*) FROM {table}");
        }

        return total;
    }
}

public sealed class DeliveryRow
{
    public long Id { get; init; }
    public string Receiver { get; init; } = "";
    public string DeliveryId { get; init; } = "";
    public string Event { get; init; } = "";
    public string? Action { get; init; }
    public string? RepoSlug { get; init; }
    public string Status { get; init; } = "";
    public string? Reason { get; init; }
    public long Attempts { get; init; }
}
