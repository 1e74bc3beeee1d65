using Microsoft.Extensions.Time.Testing;

namespace Attribution.Tests.Backfill;

/// <summary>
/// A fake clock that records every wait (timer) the code under test starts and jumps the fake time forward
/// by exactly that amount, so rate-limit and backoff waits take no real time and can be asserted.
/// </summary>
public sealed class JumpingClock(DateTimeOffset start) : TimeProvider
{
    private readonly FakeTimeProvider _fake = new(start);
    private readonly List<TimeSpan> _waits = [];

    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (_waits)
            {
                return [.. _waits];
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

    public override long GetTimestamp() => _fake.GetTimestamp();

    public override long TimestampFrequency => _fake.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = _fake.CreateTimer(callback, state, dueTime, period);
        if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (_waits)
            {
                _waits.Add(dueTime);
            }

            // Advance after the caller has its timer, as a test advancing the clock would.
            _ = Task.Run(() => _fake.Advance(dueTime));
        }

        return timer;
    }
}
