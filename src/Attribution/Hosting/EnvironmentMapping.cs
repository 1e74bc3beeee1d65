namespace Attribution.Hosting;

/// <summary>
/// Maps the documented <c>ATTRIBUTION_*</c> environment variables onto configuration keys, so the same
/// setting can live in <c>appsettings.json</c> under the key shown here.
/// </summary>
public static class EnvironmentMapping
{
    /// <summary>Environment variable → configuration key. Earlier entries for the same key win.</summary>
    public static readonly IReadOnlyList<(string Variable, string Key)> Variables =
    [
        ("ATTRIBUTION_DB_PROVIDER", "Attribution:Database:Provider"),
        ("ATTRIBUTION_DB", "Attribution:Database:Connection"),
        ("ATTRIBUTION_GITHUB_WEBHOOK_SECRET", "Attribution:Webhooks:GitHubSecret"),
        ("ATTRIBUTION_GITLAB_WEBHOOK_TOKEN", "Attribution:Webhooks:GitLabToken"),
        ("ATTRIBUTION_CI_WEBHOOK_SECRET", "Attribution:Webhooks:CiSecret"),
        ("ATTRIBUTION_WEBHOOK_KEEP_BODIES", "Attribution:Webhooks:KeepBodies"),
        ("ATTRIBUTION_WEBHOOK_INFLIGHT_BYTES", "Attribution:Webhooks:MaxInFlightBodyBytes"),
        ("ATTRIBUTION_SIGNING_SECRET", "Attribution:Signing:Secret"),
        ("ATTRIBUTION_INSTANCE_ID", "Attribution:Signing:InstanceId"),
        ("ATTRIBUTION_WORKSPACE", "Attribution:Signing:Workspace"),
        ("ATTRIBUTION_GITHUB_TOKEN", "Attribution:GitHub:Token"),
        ("GITHUB_TOKEN", "Attribution:GitHub:Token"),
        ("ATTRIBUTION_GITHUB_API_URL", "Attribution:GitHub:ApiUrl"),
        ("ATTRIBUTION_GITLAB_TOKEN", "Attribution:GitLab:Token"),
        ("ATTRIBUTION_GITLAB_URL", "Attribution:GitLab:Url"),
        ("ATTRIBUTION_API_KEY", "Attribution:Security:ApiKey"),
        ("ATTRIBUTION_ALLOWED_ORIGINS", "Attribution:Security:AllowedOrigins"),
        ("ATTRIBUTION_ALLOWED_HOSTS", "AllowedHosts"),
        ("ATTRIBUTION_WATCH_SESSIONS", "Attribution:Sessions:Watch"),
        ("ATTRIBUTION_PRICES", "Attribution:Sessions:PricesPath"),
        ("ATTRIBUTION_LOG_FORMAT", "Attribution:Logging:Format"),
    ];

    /// <summary>The configuration values set by the process environment.</summary>
    public static Dictionary<string, string?> FromEnvironment(Func<string, string?> read)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (variable, key) in Variables)
        {
            var value = read(variable);
            if (!string.IsNullOrEmpty(value) && !values.ContainsKey(key))
            {
                values[key] = value;
            }
        }

        return values;
    }
}
