using System.CommandLine;
using Attribution.Hosting;

namespace Attribution.Linking;

/// <summary>Wiring of the Linking feature: services, endpoints and CLI commands.</summary>
public static class LinkingModule
{
    public static IServiceCollection AddLinking(this IServiceCollection services, IConfiguration configuration, HostMode mode)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapLinkingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }

    public static void AddLinkingCommands(RootCommand root, CliContext cli)
    {
    }
}
