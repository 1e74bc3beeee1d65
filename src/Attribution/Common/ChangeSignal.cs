namespace Attribution.Common;

/// <summary>
/// Raised when new data lands (webhook deliveries processed, sessions ingested, git history scanned) so the
/// background attribution pass can run, debounced, and keep the API current without a manual step.
/// </summary>
public sealed class ChangeSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);
    private long _version;

    /// <summary>How many changes have been announced since start.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Announces new data from <paramref name="source"/> (e.g. "webhooks", "sessions", "git").</summary>
    public void Notify(string source)
    {
        _ = source;
        Interlocked.Increment(ref _version);
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one pending wake-up covers any number of changes.
        }
    }

    /// <summary>Waits until something changed.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _signal.WaitAsync(cancellationToken);
}
