namespace Attribution.Backfill;

/// <summary>Receives progress after each stored PR.</summary>
public interface IBackfillProgress
{
    void Report(int page, long number, BackfillStats stats);

    /// <summary>Ends the progress display (clears a terminal status line).</summary>
    void Complete();
}
