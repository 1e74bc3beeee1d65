namespace Attribution.Artifacts;

/// <summary>The signing secret (trimmed; null or blank = not configured) and this deployment's instance id.</summary>
public sealed record SigningKey(string? Secret, string InstanceId)
{
    public bool HasSecret => !string.IsNullOrWhiteSpace(Secret);

    public static SigningKey From(Hosting.SigningOptions options) =>
        new(string.IsNullOrWhiteSpace(options.Secret) ? null : options.Secret.Trim(), AttributionMetadata.NormalizeInstanceId(options.InstanceId));
}
