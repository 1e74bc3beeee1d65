namespace Attribution.Yield;

/// <summary>Settings of the yield report (<c>Attribution:Yield:*</c>).</summary>
public sealed class YieldOptions
{
    public const string Section = "Attribution:Yield";

    /// <summary>
    /// How long the per-session aggregates of one filter are reused (sorting, paging and re-visits within that
    /// time cost no SQL). Any <see cref="Common.ChangeSignal"/> notification drops them at once. 0 turns reuse off.
    /// </summary>
    public int CacheSeconds { get; set; } = 10;
}
