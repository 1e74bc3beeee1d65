using System.Text.Json;
using Attribution.Store;
using Dapper;

namespace Attribution.Tests.Reliability;

/// <summary>Test-side reads used by the reliability runs (raw SQL is fine in test helpers).</summary>
public sealed class ReliabilityDb(IDbConnectionFactory connections)
{
    static ReliabilityDb() => DapperSetup.Configure(); // snake_case columns → properties, also without an in-process host

    public static readonly string[] EffectTables = ["pr_outcomes", "ci_runs", "commits"];

    /// <summary>Every row of the effect tables for these repositories, each serialised to one line (columns in table order), keyed by table.</summary>
    public async Task<Dictionary<string, List<string>>> SnapshotAsync(IReadOnlyList<string> repos)
    {
        var snapshot = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        foreach (var table in EffectTables)
        {
            var order = table == "commits" ? "repo_slug, sha" : "id";
            var rows = await connection.QueryAsync(new CommandDefinition($"SELECT * FROM {table} WHERE repo_slug IN ({InList(repos.Count)}) ORDER BY {order}", InParameters(repos)));
            snapshot[table] = rows.Select(r => JsonSerializer.Serialize((IDictionary<string, object?>)r)).ToList();
        }

        return snapshot;
    }

    /// <summary>"@p0, @p1, ..." (Dapper sends a list to Npgsql as one array parameter, which IN cannot take).</summary>
    public static string InList(int count) => string.Join(", ", Enumerable.Range(0, count).Select(i => "@p" + i));

    public static DynamicParameters InParameters(IReadOnlyList<string> values)
    {
        var parameters = new DynamicParameters();
        for (var i = 0; i < values.Count; i++)
        {
            parameters.Add("p" + i, values[i]);
        }

        return parameters;
    }

    public async Task<long> CountAsync(string sql, object? param = null)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, param));
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? param = null)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<T>(new CommandDefinition(sql, param))).AsList();
    }

    /// <summary>Waits (bounded) until no delivery is pending or processing; returns how many still are.</summary>
    public async Task<long> DrainAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var open = await CountAsync("SELECT count(*) FROM webhook_deliveries WHERE status IN ('pending', 'processing')");
            if (open == 0 || DateTime.UtcNow > deadline)
            {
                return open;
            }

            await Task.Delay(50);
        }
    }
}

/// <summary>A delivery row's identity and state.</summary>
public sealed class DeliveryState
{
    public string Receiver { get; set; } = "";
    public string DeliveryId { get; set; } = "";
    public string Status { get; set; } = "";
}
