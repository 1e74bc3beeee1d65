namespace Attribution.Stages;

/// <summary>Settings of PR stage attribution (<c>Attribution:Providers</c>).</summary>
public sealed class StageOptions
{
    public const string Section = "Attribution:Providers";

    /// <summary>Extra provider-family rules: <c>"agent:my-bot": "claude"</c>, <c>"model:qwen": "ollama"</c>.</summary>
    public Dictionary<string, string> Families { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A merged PR is still good when it had no fix or revert touch within this many days.</summary>
    public int StillGoodAfterDays { get; set; } = Linking.Outcomes.Verdicts.StillGoodDays;
}
