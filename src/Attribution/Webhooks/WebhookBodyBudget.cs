using Microsoft.Extensions.Options;

namespace Attribution.Webhooks;

/// <summary>
/// The memory all webhook bodies being read or checked may take together (<c>Attribution:Webhooks:MaxInFlightBodyBytes</c>).
/// A body reserves its declared length before it is read (a chunked body, what it has read so far, twice over for the
/// growing buffer); past the budget the delivery is answered 503 with <c>Retry-After</c> and its body is not read, so
/// many large bodies at once (valid or not) cannot take the server's memory.
/// </summary>
public sealed class WebhookBodyBudget(IOptionsMonitor<WebhookOptions> options)
{
    private long _inUse;

    /// <summary>Bytes reserved by bodies in flight now.</summary>
    public long InUse => Interlocked.Read(ref _inUse);

    /// <summary>Reserves <paramref name="bytes"/>; false (nothing reserved) when that would pass the budget.</summary>
    public bool TryReserve(long bytes)
    {
        var limit = options.CurrentValue.MaxInFlightBodyBytes;
        while (true)
        {
            var current = Interlocked.Read(ref _inUse);
            if (current + bytes > limit && current > 0)
            {
                return false;
            }

            // One body alone may always take its own size (it is already bounded by MaxBodyBytes).
            if (Interlocked.CompareExchange(ref _inUse, current + bytes, current) == current)
            {
                return true;
            }
        }
    }

    public void Release(long bytes)
    {
        if (bytes > 0)
        {
            Interlocked.Add(ref _inUse, -bytes);
        }
    }
}
