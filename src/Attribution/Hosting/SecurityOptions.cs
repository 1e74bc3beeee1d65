namespace Attribution.Hosting;

/// <summary>Access control for the API, JSON-RPC, MCP and the dashboard.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Attribution:Security";

    public string? ApiKey { get; set; }

    /// <summary>Other origins (<c>https://tools.example</c>, <c>;</c>-separated) whose pages may send state-changing requests.</summary>
    public string? AllowedOrigins { get; set; }
}
