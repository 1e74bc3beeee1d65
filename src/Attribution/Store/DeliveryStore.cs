using System.Data;
using Attribution.Common;
using Dapper;

namespace Attribution.Store;

/// <summary>
/// The webhook delivery log, which is also the inbox: a delivery is stored <c>pending</c> before it is
/// acknowledged and becomes <c>processed</c> (or <c>failed</c>) in the same transaction as its effects.
/// <c>unique (receiver, delivery_id)</c> makes a redelivery a no-op. A body is kept while its delivery waits to be
/// applied (the inbox reads it back) and after a failure; the caller decides whether processed deliveries keep theirs
/// (<c>Attribution:Webhooks:KeepBodies</c>).
/// </summary>
public sealed class DeliveryStore(IDbConnectionFactory connections)
{
    public const string Pending = "pending";
    public const string Processing = "processing";
    public const string Processed = "processed";
    public const string Failed = "failed";

    private const string InsertSql = """
        INSERT INTO webhook_deliveries (receiver, delivery_id, event, action, repo_slug, status, body_sha256, received_ts, processed_ts, attempts)
        VALUES (@Receiver, @DeliveryId, @Event, @Action, @RepoSlug, @Status, @BodySha256, @ReceivedTs, @ProcessedTs, @Attempts)
        ON CONFLICT (receiver, delivery_id) DO NOTHING
        RETURNING id
        """;

    private static readonly (string, DbType)[] InsertParameters =
    [
        ("Receiver", DbType.String), ("DeliveryId", DbType.String), ("Event", DbType.String), ("Action", DbType.String),
        ("RepoSlug", DbType.String), ("Status", DbType.String), ("BodySha256", DbType.String), ("ReceivedTs", DbType.String),
        ("ProcessedTs", DbType.String), ("Attempts", DbType.Int64),
    ];

    /// <summary>Lowercase hex SHA-256 of a body (<c>body_sha256</c>, and the delivery id when a receiver has no id header).</summary>
    public static string Sha256Hex(byte[] body) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body));

    private const string InsertBodySql = "INSERT INTO webhook_delivery_bodies (delivery_row_id, body) VALUES (@Id, @Body)";

    /// <summary>
    /// Stores a batch of deliveries, with their bodies, in one transaction (group commit). Returns, per delivery, its
    /// new row id, or null when that (receiver, delivery id) was already stored — also by an earlier item of the same batch.
    /// </summary>
    public async Task<IReadOnlyList<long?>> InsertBatchAsync(IReadOnlyList<NewDelivery> deliveries, CancellationToken cancellationToken)
    {
        await using var unit = await connections.BeginAsync(cancellationToken);
        var ids = await InsertBatchAsync(unit, deliveries, withBodies: true, appliedAt: null, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return ids;
    }

    /// <summary>
    /// Stores a batch of deliveries inside the caller's transaction; ids as above. They are <c>pending</c>, or, with
    /// <paramref name="appliedAt"/>, already <c>processed</c> (one attempt): the caller applies every new one in this
    /// transaction and records a reason with <see cref="CompleteAsync"/> when there is one. Without
    /// <paramref name="withBodies"/> only the rows are written: for a caller that applies every delivery in the same
    /// transaction and does not keep processed bodies, writing a body that is never read would cost more than the rest.
    /// </summary>
    public static async Task<IReadOnlyList<long?>> InsertBatchAsync(
        UnitOfWork unit, IReadOnlyList<NewDelivery> deliveries, bool withBodies, DateTimeOffset? appliedAt, CancellationToken cancellationToken)
    {
        var ids = new long?[deliveries.Count];

        // Insert in key order: two instances storing the same deliveries in different orders would each wait on the
        // other's uncommitted key (PostgreSQL deadlock 40P01, the whole batch answered 503). One order, no cycle.
        var order = Enumerable.Range(0, deliveries.Count)
            .OrderBy(i => deliveries[i].Receiver, StringComparer.Ordinal)
            .ThenBy(i => deliveries[i].DeliveryId, StringComparer.Ordinal)
            .ThenBy(i => i);
        foreach (var i in order)
        {
            ids[i] = await InsertAsync(unit, deliveries[i], withBodies, appliedAt, cancellationToken);
        }

        return ids;
    }

    private static async Task<long?> InsertAsync(UnitOfWork unit, NewDelivery delivery, bool withBody, DateTimeOffset? appliedAt, CancellationToken cancellationToken)
    {
        var slug = delivery.RepoSlug is null ? null : RepoSlug.Normalize(delivery.RepoSlug);
        var id = await unit.Prepared(InsertSql, InsertParameters).ScalarAsync(cancellationToken,
            delivery.Receiver, delivery.DeliveryId, delivery.Event, delivery.Action, slug, appliedAt is null ? Pending : Processed,
            withBody ? delivery.BodySha256 ?? Sha256Hex(delivery.Body) : delivery.BodySha256, delivery.ReceivedTs, appliedAt, appliedAt is null ? 0L : 1L);
        if (withBody && id is { } rowId)
        {
            await unit.Prepared(InsertBodySql, ("Id", DbType.Int64), ("Body", DbType.Binary)).ExecuteAsync(cancellationToken, rowId, delivery.Body);
        }

        return id;
    }

    // The status check makes the claim atomic: of two instances picking up the same row only one updates it;
    // on PostgreSQL the row lock is held until that transaction ends, so the other sees the new status.
    private const string ClaimSql = """
        UPDATE webhook_deliveries SET status = 'processing', attempts = attempts + 1
        WHERE id = @Id AND status = 'pending'
        RETURNING id, receiver, delivery_id, event, action, repo_slug, attempts
        """;

    /// <summary>
    /// Claims a pending delivery inside the caller's transaction; null when it is not pending (any more).
    /// Without <paramref name="withBody"/> the body is not read back (the caller already has it parsed).
    /// </summary>
    public async Task<ClaimedDelivery?> ClaimAsync(UnitOfWork unit, long id, bool withBody, CancellationToken cancellationToken)
    {
        var row = await unit.Connection.QuerySingleOrDefaultAsync<ClaimRow>(new CommandDefinition(ClaimSql, new { Id = id }, unit.Transaction, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var body = withBody
            ? await unit.Connection.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition(BodySql, new { Id = id }, unit.Transaction, cancellationToken: cancellationToken)) ?? []
            : [];
        return new ClaimedDelivery(row.Id, row.Receiver, row.DeliveryId, row.Event, row.Action, row.RepoSlug, body, row.Attempts);
    }

    private const string BodySql = "SELECT body FROM webhook_delivery_bodies WHERE delivery_row_id = @Id";

    private const string CompleteSql = """
        UPDATE webhook_deliveries SET status = @Status, reason = @Reason, repo_slug = COALESCE(@RepoSlug, repo_slug), processed_ts = @Now,
            attempts = CASE WHEN attempts < 1 THEN 1 ELSE attempts END
        WHERE id = @Id
        """;

    /// <summary>
    /// Marks a claimed (or just inserted) delivery <c>processed</c> or <c>failed</c> inside the transaction that applied
    /// its effects; a row applied where it was inserted counts one attempt.
    /// </summary>
    public Task CompleteAsync(UnitOfWork unit, long id, string status, string? reason, string? repoSlug, DateTimeOffset now, CancellationToken cancellationToken) =>
        unit.Prepared(CompleteSql, ("Status", DbType.String), ("Reason", DbType.String), ("RepoSlug", DbType.String), ("Now", DbType.String), ("Id", DbType.Int64))
            .ExecuteAsync(cancellationToken, status, Truncate(reason), repoSlug is null ? null : RepoSlug.Normalize(repoSlug), now, id);

    private const string DropBodySql = "DELETE FROM webhook_delivery_bodies WHERE delivery_row_id = @Id";

    /// <summary>Drops a delivery's stored body inside the caller's transaction (it was applied and is not kept).</summary>
    public static Task DropBodyAsync(UnitOfWork unit, long id, CancellationToken cancellationToken) =>
        unit.Prepared(DropBodySql, ("Id", DbType.Int64)).ExecuteAsync(cancellationToken, id);

    private const string FailureSql = """
        UPDATE webhook_deliveries
        SET attempts = attempts + 1, reason = @Reason,
            status = CASE WHEN attempts + 1 >= @MaxAttempts THEN 'failed' ELSE 'pending' END,
            processed_ts = CASE WHEN attempts + 1 >= @MaxAttempts THEN @Now ELSE processed_ts END
        WHERE id = @Id AND status = 'pending'
        """;

    /// <summary>Records a failed processing attempt (its transaction was rolled back); after <paramref name="maxAttempts"/> the delivery is <c>failed</c>.</summary>
    public async Task RecordFailureAsync(long id, string reason, int maxAttempts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(FailureSql, new { Id = id, Reason = Truncate(reason), MaxAttempts = maxAttempts, Now = now }, cancellationToken: cancellationToken));
    }

    private const string PendingSql = "SELECT id FROM webhook_deliveries WHERE status = 'pending' AND id > @AfterId ORDER BY id LIMIT @Limit";

    private const string StalePendingSql = """
        SELECT id FROM webhook_deliveries WHERE status = 'pending' AND id > @AfterId AND received_ts < @Before ORDER BY id LIMIT @Limit
        """;

    /// <summary>
    /// Ids of pending deliveries after <paramref name="afterId"/>, oldest first (the inbox); with
    /// <paramref name="receivedBefore"/> only those received before that time.
    /// </summary>
    public async Task<IReadOnlyList<long>> ListPendingIdsAsync(long afterId, int limit, DateTimeOffset? receivedBefore, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var ids = await connection.QueryAsync<long>(receivedBefore is { } before
            ? new CommandDefinition(StalePendingSql, new { AfterId = afterId, Limit = limit, Before = before }, cancellationToken: cancellationToken)
            : new CommandDefinition(PendingSql, new { AfterId = afterId, Limit = limit }, cancellationToken: cancellationToken));
        return ids.AsList();
    }

    private const string RequeueSql = """
        UPDATE webhook_deliveries SET status = 'pending', attempts = 0, reason = NULL, processed_ts = NULL
        WHERE id = @Id AND status = 'failed'
          AND EXISTS (SELECT 1 FROM webhook_delivery_bodies b WHERE b.delivery_row_id = webhook_deliveries.id)
        """;

    private const string StatusSql = """
        SELECT d.status, CASE WHEN EXISTS (SELECT 1 FROM webhook_delivery_bodies b WHERE b.delivery_row_id = d.id) THEN 1 ELSE 0 END AS has_body
        FROM webhook_deliveries d WHERE d.id = @Id
        """;

    /// <summary>
    /// Puts a failed delivery whose body is kept back in the inbox (pending, attempts reset) for a replay. Returns null
    /// when it was requeued, else why not: <c>unknown</c>, <c>not failed</c> or <c>no body</c>.
    /// </summary>
    public async Task<string?> RequeueFailedAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        if (await connection.ExecuteAsync(new CommandDefinition(RequeueSql, new { Id = id }, cancellationToken: cancellationToken)) == 1)
        {
            return null;
        }

        var row = await connection.QuerySingleOrDefaultAsync<StatusRow>(new CommandDefinition(StatusSql, new { Id = id }, cancellationToken: cancellationToken));
        return row is null ? "unknown" : row.Status != Failed ? "not failed" : "no body";
    }

    private const string RecentSql = """
        SELECT id, receiver, delivery_id, event, action, repo_slug, status, reason, received_ts, processed_ts, attempts
        FROM webhook_deliveries ORDER BY id DESC LIMIT @Limit
        """;

    /// <summary>The most recent deliveries, newest first (for the /deliveries page).</summary>
    public async Task<IReadOnlyList<DeliverySummary>> ListRecentAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SummaryRow>(new CommandDefinition(RecentSql, new { Limit = Math.Clamp(limit, 1, 1000) }, cancellationToken: cancellationToken));
        return rows.Select(r => new DeliverySummary(r.Id, r.Receiver, r.DeliveryId, r.Event, r.Action, r.RepoSlug, r.Status, r.Reason,
            DapperSetup.Parse(r.ReceivedTs), r.ProcessedTs is null ? null : DapperSetup.Parse(r.ProcessedTs), r.Attempts)).ToList();
    }

    private static string? Truncate(string? reason) => reason is { Length: > 1000 } ? reason[..1000] : reason;

    private sealed class StatusRow
    {
        public string Status { get; init; } = "";
        public long HasBody { get; init; }
    }

    private class ClaimRow
    {
        public long Id { get; init; }
        public string Receiver { get; init; } = "";
        public string DeliveryId { get; init; } = "";
        public string Event { get; init; } = "";
        public string? Action { get; init; }
        public string? RepoSlug { get; init; }
        public long Attempts { get; init; }
    }

    private sealed class SummaryRow : ClaimRow
    {
        public string Status { get; init; } = "";
        public string? Reason { get; init; }
        public string ReceivedTs { get; init; } = "";
        public string? ProcessedTs { get; init; }
    }

    private const string FilteredDeliveriesSql = """
        SELECT d.id, d.receiver, d.delivery_id, d.event, d.action, d.repo_slug, d.status, d.reason, d.received_ts, d.processed_ts, d.attempts,
               CASE WHEN EXISTS (SELECT 1 FROM webhook_delivery_bodies b WHERE b.delivery_row_id = d.id) THEN 1 ELSE 0 END AS has_body
        FROM webhook_deliveries d
        WHERE 1 = 1
        """;

    /// <summary>One delivery by row id.</summary>
    public Task<DeliveryRow?> GetDeliveryAsync(long id, CancellationToken cancellationToken) =>
        connections.SingleOrDefaultAsync<DeliveryRow>(FilteredDeliveriesSql + " AND d.id = @Id", new { Id = id }, cancellationToken);

    /// <summary>Deliveries newest first, filtered (null = any) and paged.</summary>
    public Task<IReadOnlyList<DeliveryRow>> ListDeliveriesAsync(string? receiver, string? eventName, string? status, string? repo, int offset, int limit, CancellationToken cancellationToken)
    {
        var sql = new System.Text.StringBuilder(FilteredDeliveriesSql);
        sql.Append(receiver is null ? "" : " AND d.receiver = @Receiver");
        sql.Append(eventName is null ? "" : " AND d.event = @Event");
        sql.Append(status is null ? "" : " AND d.status = @Status");
        sql.Append(repo is null ? "" : " AND d.repo_slug = @Repo");
        sql.Append(" ORDER BY d.received_ts DESC, d.id DESC LIMIT @Limit OFFSET @Offset");
        return connections.ListAsync<DeliveryRow>(sql.ToString(), new
        {
            Receiver = receiver,
            Event = eventName,
            Status = status,
            Repo = repo is null ? null : RepoSlug.Normalize(repo),
            Limit = limit,
            Offset = offset,
        }, cancellationToken);
    }
}
