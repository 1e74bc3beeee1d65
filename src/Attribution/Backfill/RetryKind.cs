namespace Attribution.Backfill;

/// <summary>Why a request is retried; rate-limit waits and error retries have separate budgets.</summary>
public enum RetryKind
{
    None,
    PrimaryRateLimit,
    SecondaryRateLimit,
    ServerError,
}
