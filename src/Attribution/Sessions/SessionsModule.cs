using System.CommandLine;
using Attribution.Hosting;

namespace Attribution.Sessions;

/// <summary>Wiring of the Sessions feature: services, endpoints and CLI commands.</summary>
public static class SessionsModule
{
    public static IServiceCollection AddSessions(this IServiceCollection services, IConfiguration configuration, HostMode mode)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }

    public static void AddSessionCommands(RootCommand root, CliContext cli)
    {
    }
}
