namespace Attribution.Webhooks;

/// <summary>Webhook receiver secrets. A missing secret disables only its receiver (503).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Attribution:Webhooks";

    public string? GitHubSecret { get; set; }
    public string? GitLabToken { get; set; }
    public string? CiSecret { get; set; }

    /// <summary>Bodies larger than this are refused with 413.</summary>
    public long MaxBodyBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>
    /// The memory all webhook bodies in flight may take together; past it deliveries get 503 with Retry-After (GitHub and
    /// GitLab redeliver). Default 64 MiB: a few maximum-size bodies, or thousands of ordinary ones, at once.
    /// </summary>
    public long MaxInFlightBodyBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Keep the raw body of every delivery, also once it is applied. Off by default: a body is kept while its delivery
    /// waits to be applied and when it failed; applied deliveries keep their row, and their effects keep the payload's
    /// objects (<c>raw_json</c>). Storing a 28 KB body costs more than everything else a delivery does.
    /// </summary>
    public bool KeepBodies { get; set; }
}
