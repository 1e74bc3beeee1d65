using System.CommandLine;
using Attribution.Hosting;

namespace Attribution.Decisions;

/// <summary>Wiring of the Decisions feature: services, endpoints and CLI commands.</summary>
public static class DecisionsModule
{
    public static IServiceCollection AddDecisions(this IServiceCollection services, IConfiguration configuration, HostMode mode)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapDecisionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }

    public static void AddDecisionCommands(RootCommand root, CliContext cli)
    {
    }
}
