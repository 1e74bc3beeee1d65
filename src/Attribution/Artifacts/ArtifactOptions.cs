namespace Attribution.Artifacts;

/// <summary>Artifact index settings (section <c>Attribution:Artifacts</c>).</summary>
public sealed class ArtifactOptions
{
    public const string Section = "Attribution:Artifacts";

    /// <summary>
    /// Agents whose sessions are never picked by time-window inference (only signed metadata or artifact ancestry
    /// can attribute feedback to them). Matched case-insensitively against the session's agent and the agent
    /// names its signed metadata carries. Unset: <c>analyst</c>.
    /// </summary>
    public string[]? InternalAgents { get; set; }

    /// <summary>How often the sweeper looks for new feedback and signed commits (serve mode).</summary>
    public int SweepIntervalSeconds { get; set; } = 5;

    /// <summary>Rows younger than this are left for the next sweep, so a slower concurrent writer is never skipped.</summary>
    public int SweepSettleSeconds { get; set; } = 5;

    /// <summary>Half-width of the inference window around the feedback's time.</summary>
    public int InferenceWindowHours { get; set; } = 24;

    public IReadOnlySet<string> EffectiveInternalAgents =>
        new HashSet<string>((InternalAgents ?? ["analyst"]).Select(a => a.Trim()).Where(a => a.Length > 0), StringComparer.OrdinalIgnoreCase);
}
