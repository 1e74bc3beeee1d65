namespace Attribution.Common;

/// <summary>Raised when an attribution pass has finished, so figures computed from its results (the product gauges) are refreshed.</summary>
public sealed class PassSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);
    private long _version;

    /// <summary>How many passes have finished since start (figures cached before a pass are stale after it).</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Announces a finished pass; any number of passes before the next wait wake it once.</summary>
    public void Notify()
    {
        Interlocked.Increment(ref _version);
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    /// <summary>Waits until a pass has finished.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _signal.WaitAsync(cancellationToken);
}
