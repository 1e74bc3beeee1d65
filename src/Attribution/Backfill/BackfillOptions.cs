namespace Attribution.Backfill;

/// <summary>
/// Scheduled backfill in <c>serve</c> (<c>Attribution:Backfill</c>); off unless an interval and at least one
/// repository are configured.
/// </summary>
public sealed class BackfillOptions
{
    public const string Section = "Attribution:Backfill";

    /// <summary>Time between runs, e.g. <c>01:00:00</c>. Null or zero: no scheduled backfill.</summary>
    public TimeSpan? Schedule { get; set; }

    /// <summary>How far back each scheduled run looks (a <c>--since</c> value).</summary>
    public string Since { get; set; } = "7d";

    /// <summary>GitHub repositories (<c>owner/name</c>).</summary>
    public List<string> GitHub { get; set; } = [];

    /// <summary>GitLab projects (<c>group/name</c>).</summary>
    public List<string> GitLab { get; set; } = [];

    public bool Enabled => Schedule is { } every && every > TimeSpan.Zero && (GitHub.Count > 0 || GitLab.Count > 0);
}
