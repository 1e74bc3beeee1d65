namespace Attribution.Backfill;

/// <summary>No progress output (scheduled runs in <c>serve</c>).</summary>
public sealed class NoProgress : IBackfillProgress
{
    public static readonly NoProgress Instance = new();

    public void Report(int page, long number, BackfillStats stats)
    {
    }

    public void Complete()
    {
    }
}
