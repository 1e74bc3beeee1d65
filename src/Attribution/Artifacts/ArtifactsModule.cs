using System.CommandLine;
using Attribution.Hosting;

namespace Attribution.Artifacts;

/// <summary>Wiring of the Artifacts feature: services, endpoints and CLI commands.</summary>
public static class ArtifactsModule
{
    public static IServiceCollection AddArtifacts(this IServiceCollection services, IConfiguration configuration, HostMode mode)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapArtifactEndpoints(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }

    public static void AddArtifactCommands(RootCommand root, CliContext cli)
    {
    }
}
