using System.CommandLine;
using Attribution.Hosting;

namespace Attribution.Backfill;

/// <summary>Wiring of the Backfill feature: services, endpoints and CLI commands.</summary>
public static class BackfillModule
{
    public static IServiceCollection AddBackfill(this IServiceCollection services, IConfiguration configuration, HostMode mode)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapBackfillEndpoints(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }

    public static void AddBackfillCommands(RootCommand root, CliContext cli)
    {
    }
}
