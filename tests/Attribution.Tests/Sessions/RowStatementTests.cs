using System.Data;
using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Dapper;

namespace Attribution.Tests.Sessions;

public sealed class RowStatementTests
{
    private const string InsertSql = """
        INSERT INTO session_messages (session_id, message_id, input_tokens) VALUES (@SessionId, @MessageId, @InputTokens)
        ON CONFLICT (session_id, message_id) DO NOTHING
        """;

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task AddAsync_RowsWithARepeatedKey_CountsEachRowAndStoresTheFirst(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        await using var unit = await h.Database.Connections.BeginAsync(CancellationToken.None);
        IReadOnlyList<int> counts;
        await using (var insert = new RowStatement(unit, InsertSql, ("SessionId", DbType.String), ("MessageId", DbType.String), ("InputTokens", DbType.Int64)))
        {
            var row = new object?[3];
            foreach (var (message, tokens) in new[] { ("m1", 5L), ("m2", 7L), ("m1", 9L) })
            {
                (row[0], row[1], row[2]) = ("s", message, tokens);
                await insert.AddAsync(row, CancellationToken.None);
            }

            await insert.FlushAsync(CancellationToken.None);
            counts = [.. insert.Counts];
        }

        await unit.CommitAsync(CancellationToken.None);
        await using var connection = await h.Database.Connections.OpenAsync(CancellationToken.None);
        var stored = await connection.QueryAsync<(string, long)>("SELECT message_id, input_tokens FROM session_messages ORDER BY message_id");

        counts.Should().Equal(1, 1, 0);
        stored.Should().Equal(("m1", 5L), ("m2", 7L));
    }
}
