namespace Attribution.Artifacts;

/// <summary>
/// The signing secret (trimmed; null or blank = not configured), this deployment's instance id, and the workspace
/// metadata must name to be accepted (<c>default</c> unless configured or asked for per query).
/// </summary>
public sealed record SigningKey(string? Secret, string InstanceId, string Workspace = AttributionMetadata.DefaultWorkspace)
{
    public bool HasSecret => !string.IsNullOrWhiteSpace(Secret);

    public static SigningKey From(SigningOptions options) =>
        new(string.IsNullOrWhiteSpace(options.Secret) ? null : options.Secret.Trim(), AttributionMetadata.NormalizeInstanceId(options.InstanceId),
            AttributionMetadata.NormalizeWorkspace(options.Workspace));
}
