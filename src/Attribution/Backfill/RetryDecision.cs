namespace Attribution.Backfill;

/// <summary>Whether and how long to wait before sending a request again.</summary>
public readonly record struct RetryDecision(RetryKind Kind, TimeSpan Delay)
{
    public static readonly RetryDecision Stop = new(RetryKind.None, TimeSpan.Zero);
}
