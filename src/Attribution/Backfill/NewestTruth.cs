namespace Attribution.Backfill;

/// <summary>
/// Webhooks and REST backfill write the same rows: the copy with the newer provider <c>updated_at</c> wins;
/// an equal timestamp may refresh the row (the same truth), an older one never replaces it.
/// </summary>
public static class NewestTruth
{
    public static UpsertOutcome Decide(bool exists, DateTimeOffset? storedUpdatedAt, string? storedRaw, DateTimeOffset? incomingUpdatedAt, string incomingRaw)
    {
        if (!exists)
        {
            return UpsertOutcome.Inserted;
        }

        if (storedUpdatedAt is null)
        {
            return string.Equals(storedRaw, incomingRaw, StringComparison.Ordinal) ? UpsertOutcome.Unchanged : UpsertOutcome.Updated;
        }

        if (incomingUpdatedAt is null || incomingUpdatedAt < storedUpdatedAt)
        {
            return UpsertOutcome.Stale;
        }

        if (incomingUpdatedAt == storedUpdatedAt && string.Equals(storedRaw, incomingRaw, StringComparison.Ordinal))
        {
            return UpsertOutcome.Unchanged;
        }

        return UpsertOutcome.Updated;
    }
}
