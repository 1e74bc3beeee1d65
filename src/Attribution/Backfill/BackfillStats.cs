namespace Attribution.Backfill;

/// <summary>Counters of one backfill run, shared by the HTTP handler and the runner; printed as the summary.</summary>
public sealed class BackfillStats
{
    private long _apiCalls;
    private long _waits;
    private long _retries;
    private long _waitedTicks;

    public long ApiCalls => Interlocked.Read(ref _apiCalls);
    public long Waits => Interlocked.Read(ref _waits);
    public long Retries => Interlocked.Read(ref _retries);
    public TimeSpan Waited => TimeSpan.FromTicks(Interlocked.Read(ref _waitedTicks));

    public int PullRequestsNew { get; set; }
    public int PullRequestsUpdated { get; set; }
    public int PullRequestsUnchanged { get; set; }
    public int PullRequestsSkipped { get; set; }
    public int Commits { get; set; }
    public int PullRequestCommitsNew { get; set; }
    public int CiRunsNew { get; set; }
    public int CiRunsUpdated { get; set; }
    public int CiRunsUnchanged { get; set; }
    public int Reverts { get; set; }

    /// <summary>True when the run wrote anything (the change signal fires).</summary>
    public bool StoredSomething => PullRequestsNew + PullRequestsUpdated + PullRequestCommitsNew + CiRunsNew + CiRunsUpdated + Reverts > 0;

    public void CountCall() => Interlocked.Increment(ref _apiCalls);

    public void CountRetry() => Interlocked.Increment(ref _retries);

    public void CountWait(TimeSpan waited)
    {
        Interlocked.Increment(ref _waits);
        Interlocked.Add(ref _waitedTicks, waited.Ticks);
    }

    public string Summary(string provider, string repo) =>
        $"{provider} {repo}: PRs {PullRequestsNew} new, {PullRequestsUpdated} updated, {PullRequestsUnchanged} unchanged"
        + (PullRequestsSkipped > 0 ? $", {PullRequestsSkipped} skipped (done before resume)" : string.Empty)
        + $"; commits {Commits} ({PullRequestCommitsNew} new PR links); CI runs {CiRunsNew} new, {CiRunsUpdated} updated, {CiRunsUnchanged} unchanged"
        + $"; API calls {ApiCalls}, retries {Retries}, rate-limit waits {Waits} ({Waited.TotalSeconds:0}s)";
}
