using Dapper;

namespace Attribution.Store;

/// <summary>
/// The webhook delivery log, which is also the inbox: a delivery is stored <c>pending</c> before it is
/// acknowledged and becomes <c>processed</c> (or <c>failed</c>) in the same transaction as its effects.
/// <c>unique (receiver, delivery_id)</c> makes a redelivery a no-op.
/// </summary>
public sealed class DeliveryStore(IDbConnectionFactory connections)
{
    public const string Pending = "pending";
    public const string Processing = "processing";
    public const string Processed = "processed";
    public const string Failed = "failed";

    private const string InsertSql = """
        INSERT INTO webhook_deliveries (receiver, delivery_id, event, action, repo_slug, status, body, body_sha256, received_ts, attempts)
        VALUES (@Receiver, @DeliveryId, @Event, @Action, @RepoSlug, 'pending', @Body, @BodySha256, @ReceivedTs, 0)
        ON CONFLICT (receiver, delivery_id) DO NOTHING
        RETURNING id
        """;

    /// <summary>
    /// Stores a batch of deliveries in one transaction (group commit). Returns, per delivery, its new row id,
    /// or null when that (receiver, delivery id) was already stored — also by an earlier item of the same batch.
    /// </summary>
    public async Task<IReadOnlyList<long?>> InsertBatchAsync(IReadOnlyList<NewDelivery> deliveries, CancellationToken cancellationToken)
    {
        var ids = new long?[deliveries.Count];
        await using var unit = await connections.BeginAsync(cancellationToken);

        // Insert in key order: two instances storing the same deliveries in different orders would each wait on the
        // other's uncommitted key (PostgreSQL deadlock 40P01, the whole batch answered 503). One order, no cycle.
        var order = Enumerable.Range(0, deliveries.Count)
            .OrderBy(i => deliveries[i].Receiver, StringComparer.Ordinal)
            .ThenBy(i => deliveries[i].DeliveryId, StringComparer.Ordinal)
            .ThenBy(i => i);
        foreach (var i in order)
        {
            ids[i] = await InsertAsync(unit, deliveries[i], cancellationToken);
        }

        await unit.CommitAsync(cancellationToken);
        return ids;
    }

    /// <summary>Stores one delivery as <c>pending</c> inside the caller's transaction; null when it was stored before.</summary>
    public Task<long?> InsertAsync(UnitOfWork unit, NewDelivery delivery, CancellationToken cancellationToken) =>
        unit.Connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(InsertSql, new
        {
            delivery.Receiver,
            delivery.DeliveryId,
            delivery.Event,
            delivery.Action,
            RepoSlug = delivery.RepoSlug is null ? null : RepoSlug.Normalize(delivery.RepoSlug),
            delivery.Body,
            delivery.BodySha256,
            delivery.ReceivedTs,
        }, unit.Transaction, cancellationToken: cancellationToken));

    // The status check makes the claim atomic: of two instances picking up the same row only one updates it;
    // on PostgreSQL the row lock is held until that transaction ends, so the other sees the new status.
    private const string ClaimSql = """
        UPDATE webhook_deliveries SET status = 'processing', attempts = attempts + 1
        WHERE id = @Id AND status = 'pending'
        RETURNING id, receiver, delivery_id, event, action, repo_slug, body, attempts
        """;

    private const string ClaimWithoutBodySql = """
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
        var row = await unit.Connection.QuerySingleOrDefaultAsync<ClaimRow>(new CommandDefinition(withBody ? ClaimSql : ClaimWithoutBodySql, new { Id = id }, unit.Transaction, cancellationToken: cancellationToken));
        return row is null ? null : new ClaimedDelivery(row.Id, row.Receiver, row.DeliveryId, row.Event, row.Action, row.RepoSlug, row.Body, row.Attempts);
    }

    private const string CompleteSql = """
        UPDATE webhook_deliveries SET status = @Status, reason = @Reason, repo_slug = COALESCE(@RepoSlug, repo_slug), processed_ts = @Now
        WHERE id = @Id
        """;

    /// <summary>Marks a claimed delivery <c>processed</c> or <c>failed</c> inside the transaction that applied its effects.</summary>
    public Task CompleteAsync(UnitOfWork unit, long id, string status, string? reason, string? repoSlug, DateTimeOffset now, CancellationToken cancellationToken) =>
        unit.Connection.ExecuteAsync(new CommandDefinition(CompleteSql, new
        {
            Id = id,
            Status = status,
            Reason = Truncate(reason),
            RepoSlug = repoSlug is null ? null : RepoSlug.Normalize(repoSlug),
            Now = now,
        }, unit.Transaction, cancellationToken: cancellationToken));

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

    /// <summary>Ids of pending deliveries after <paramref name="afterId"/>, oldest first (the inbox).</summary>
    public async Task<IReadOnlyList<long>> ListPendingIdsAsync(long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var ids = await connection.QueryAsync<long>(new CommandDefinition(PendingSql, new { AfterId = afterId, Limit = limit }, cancellationToken: cancellationToken));
        return ids.AsList();
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

    private sealed class ClaimRow
    {
        public long Id { get; init; }
        public string Receiver { get; init; } = "";
        public string DeliveryId { get; init; } = "";
        public string Event { get; init; } = "";
        public string? Action { get; init; }
        public string? RepoSlug { get; init; }
        public byte[] Body { get; init; } = [];
        public long Attempts { get; init; }
    }

    private sealed class SummaryRow
    {
        public long Id { get; init; }
        public string Receiver { get; init; } = "";
        public string DeliveryId { get; init; } = "";
        public string Event { get; init; } = "";
        public string? Action { get; init; }
        public string? RepoSlug { get; init; }
        public string Status { get; init; } = "";
        public string? Reason { get; init; }
        public string ReceivedTs { get; init; } = "";
        public string? ProcessedTs { get; init; }
        public long Attempts { get; init; }
    }
}
