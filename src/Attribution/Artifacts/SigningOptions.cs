namespace Attribution.Artifacts;

/// <summary>Signed attribution metadata (CONTRACT §7).</summary>
public sealed class SigningOptions
{
    public const string Section = "Attribution:Signing";

    public string? Secret { get; set; }
    public string InstanceId { get; set; } = "default";

    /// <summary>The workspace this deployment's artifacts belong to: metadata of another workspace is refused (as in the agents resolver).</summary>
    public string Workspace { get; set; } = "default";
}
