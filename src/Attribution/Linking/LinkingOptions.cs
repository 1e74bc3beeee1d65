namespace Attribution.Linking;

/// <summary>Tunables of the linking rubric (configuration section <c>Attribution:Linking</c>).</summary>
public sealed class LinkingOptions
{
    public const string Section = "Attribution:Linking";

    /// <summary>How long after a session's edit a commit of that file can still be inferred from file overlap.</summary>
    public double TouchWindowHours { get; set; } = 72;

    /// <summary>Beyond the touch window, a commit is still a candidate when the session's text is in its diff and it is the first to touch the file.</summary>
    public double TextWindowDays { get; set; } = 21;

    /// <summary>A session is "active" for co-authored links until this long after its last event.</summary>
    public double ActiveGraceMinutes { get; set; } = 30;

    /// <summary>Downstream touches are counted this long after the commit or the PR's merge.</summary>
    public double DownstreamWindowDays { get; set; } = 30;

    /// <summary>Confidence from which a link counts (PR linked sessions, user-facing default).</summary>
    public double Threshold { get; set; } = 0.5;

    /// <summary>
    /// How far back <c>attribute backfill</c> and the background pass look without <c>--since</c>; unset (the
    /// default) means all history: the pass is incremental, so nothing old is hidden.
    /// </summary>
    public double? DefaultSinceDays { get; set; }

    /// <summary>Quiet time before the background pass runs after new data, and the least time between passes.</summary>
    public double DebounceSeconds { get; set; } = 2;

    public double MinIntervalSeconds { get; set; } = 10;

    /// <summary>
    /// Time one pass may spend reading line facts from git, per repository. Targets left over keep the subject rule
    /// until a later pass reads them (the pass says how many it deferred, and the background pass runs again). Zero
    /// turns line reading off: verdicts then follow the subject rule alone.
    /// </summary>
    public double LineBudgetSeconds { get; set; } = 60;

    /// <summary>Whether <c>serve</c> runs the attribution pass in the background.</summary>
    public bool Background { get; set; } = true;
}
