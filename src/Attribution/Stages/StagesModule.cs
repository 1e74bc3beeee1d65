using System.CommandLine;
using Attribution.Hosting;

namespace Attribution.Stages;

/// <summary>Wiring of the Stages feature: services, endpoints and CLI commands.</summary>
public static class StagesModule
{
    public static IServiceCollection AddStages(this IServiceCollection services, IConfiguration configuration, HostMode mode)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapStageEndpoints(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }

    public static void AddStageCommands(RootCommand root, CliContext cli)
    {
    }
}
