using System.CommandLine;
using Attribution.Hosting;

namespace Attribution.Git;

/// <summary>Wiring of the Git feature: services, endpoints and CLI commands.</summary>
public static class GitModule
{
    public static IServiceCollection AddGit(this IServiceCollection services, IConfiguration configuration, HostMode mode)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapGitEndpoints(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }

    public static void AddGitCommands(RootCommand root, CliContext cli)
    {
    }
}
