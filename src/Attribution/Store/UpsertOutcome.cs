namespace Attribution.Store;

/// <summary>What an upsert did to the stored row.</summary>
public enum UpsertOutcome
{
    Inserted,
    Updated,
    Unchanged,

    /// <summary>The stored row is newer (e.g. a webhook arrived after the API page was read): kept.</summary>
    Stale,
}
