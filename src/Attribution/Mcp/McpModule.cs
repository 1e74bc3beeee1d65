using System.CommandLine;
using Attribution.Hosting;

namespace Attribution.Mcp;

/// <summary>Wiring of the Mcp feature: services, endpoints and CLI commands.</summary>
public static class McpModule
{
    public static IServiceCollection AddMcp(this IServiceCollection services, IConfiguration configuration, HostMode mode)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapMcpEndpoints(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }

    public static void AddMcpCommands(RootCommand root, CliContext cli)
    {
    }
}
