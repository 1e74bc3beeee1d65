using Attribution.Store;

namespace Attribution.Webhooks;

/// <summary>
/// SQLite has one writer at a time, and a writer that finds the file locked sleeps in SQLite's busy handler
/// (up to 100 ms per retry). The delivery writer and the inbox processor therefore take turns through this
/// gate instead of colliding in the database. PostgreSQL needs no gate: row locks and the unique key suffice.
/// </summary>
public sealed class WebhookWriteGate(IDbConnectionFactory connections)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _urgentWaiting;

    /// <summary>
    /// Takes the turn. <paramref name="urgent"/> callers (the receivers' writer: a client waits for its answer) go
    /// before background callers (the inbox processor), which step back while an urgent caller is waiting.
    /// </summary>
    public async Task<IDisposable> EnterAsync(bool urgent, CancellationToken cancellationToken)
    {
        if (connections.Dialect != SqlDialect.Sqlite)
        {
            return NoGate.Instance;
        }

        if (urgent)
        {
            Interlocked.Increment(ref _urgentWaiting);
            try
            {
                await _gate.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _urgentWaiting);
            }

            return new Release(_gate);
        }

        while (true)
        {
            while (Volatile.Read(ref _urgentWaiting) > 0)
            {
                await Task.Delay(1, cancellationToken);
            }

            await _gate.WaitAsync(cancellationToken);
            if (Volatile.Read(ref _urgentWaiting) == 0)
            {
                return new Release(_gate);
            }

            _gate.Release();
        }
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }

    private sealed class NoGate : IDisposable
    {
        public static readonly NoGate Instance = new();

        public void Dispose()
        {
        }
    }
}
