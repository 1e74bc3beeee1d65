using System.ComponentModel.DataAnnotations;

namespace Attribution.Hosting;

/// <summary>Database settings (<c>ATTRIBUTION_DB_PROVIDER</c>, <c>ATTRIBUTION_DB</c>).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Attribution:Database";

    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    [Required]
    public string Provider { get; set; } = "sqlite";

    /// <summary>SQLite file path, or a PostgreSQL connection string in Npgsql form.</summary>
    [Required]
    public string Connection { get; set; } = "data/attribution.db";

    /// <summary>Keep read answers until the database changes (SQLite only; see <c>Store/ReadCache.cs</c>). Off for measurements.</summary>
    public bool ReadCache { get; set; } = true;
}

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

/// <summary>Signed attribution metadata (CONTRACT §7).</summary>
public sealed class SigningOptions
{
    public const string Section = "Attribution:Signing";

    public string? Secret { get; set; }
    public string InstanceId { get; set; } = "default";

    /// <summary>The workspace this deployment's artifacts belong to: metadata of another workspace is refused (as in the agents resolver).</summary>
    public string Workspace { get; set; } = "default";
}

/// <summary>GitHub REST backfill.</summary>
public sealed class GitHubOptions
{
    public const string Section = "Attribution:GitHub";

    public string? Token { get; set; }
    public string ApiUrl { get; set; } = "https://api.github.com/";
}

/// <summary>GitLab REST backfill.</summary>
public sealed class GitLabOptions
{
    public const string Section = "Attribution:GitLab";

    public string? Token { get; set; }
    public string Url { get; set; } = "https://gitlab.com/";
}

/// <summary>Access control for the API, JSON-RPC, MCP and the dashboard.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Attribution:Security";

    public string? ApiKey { get; set; }

    /// <summary>Other origins (<c>https://tools.example</c>, <c>;</c>-separated) whose pages may send state-changing requests.</summary>
    public string? AllowedOrigins { get; set; }
}

/// <summary>Session transcript ingest.</summary>
public sealed class SessionOptions
{
    public const string Section = "Attribution:Sessions";

    public bool Watch { get; set; } = true;
    public string? PricesPath { get; set; }
}
