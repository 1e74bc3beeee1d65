namespace Attribution.Artifacts;

/// <summary>
/// The public attribution token of the <c>agents</c> project (CONTRACT §7): who produced an artifact.
/// <see cref="SpanId"/> is our session id. <see cref="Number"/> 0 means absent (omitted from the JSON).
/// </summary>
public sealed record AttributionMetadata
{
    public int V { get; init; }
    public string InstanceId { get; init; } = "";
    public string Workspace { get; init; } = "";
    public string Repo { get; init; } = "";
    public long Number { get; init; }
    public string SpanId { get; init; } = "";
    public string AgentId { get; init; } = "";
    public string AgentName { get; init; } = "";
    public string Sig { get; init; } = "";

    /// <summary>The form the signature covers: every field trimmed, the repo lowercased, an empty instance id read as <c>default</c>.</summary>
    public AttributionMetadata Normalized() => this with
    {
        InstanceId = NormalizeInstanceId(InstanceId),
        Workspace = Workspace.Trim(),
        Repo = Repo.Trim().ToLowerInvariant(),
        SpanId = SpanId.Trim(),
        AgentId = AgentId.Trim(),
        AgentName = AgentName.Trim(),
        Sig = Sig.Trim(),
    };

    public const string DefaultWorkspace = "default";

    public static string NormalizeInstanceId(string? instanceId) =>
        string.IsNullOrWhiteSpace(instanceId) ? "default" : instanceId.Trim();

    /// <summary>
    /// The workspace metadata belongs to, for matching (not signing): trimmed, empty read as <c>default</c>. The
    /// signature covers the workspace as written, so <c>""</c> is signed as <c>""</c> and still belongs to <c>default</c>.
    /// </summary>
    public static string NormalizeWorkspace(string? workspace) =>
        string.IsNullOrWhiteSpace(workspace) ? DefaultWorkspace : workspace.Trim();
}
