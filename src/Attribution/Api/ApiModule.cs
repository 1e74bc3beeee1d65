using System.CommandLine;
using Attribution.Hosting;

namespace Attribution.Api;

/// <summary>The JSON query API (<c>/api/...</c> besides the webhooks): thin endpoints over the stores.</summary>
public static class ApiModule
{
    public static IServiceCollection AddApi(this IServiceCollection services, IConfiguration configuration, HostMode mode)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapApiEndpoints(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }

    public static void AddApiCommands(RootCommand root, CliContext cli)
    {
    }
}
