using System.CommandLine;
using Attribution.Hosting;
using Attribution.Store;
using Attribution.Common;

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
        endpoints.MapAttributionEndpoints();
        return endpoints;
    }

    public static void AddApiCommands(RootCommand root, CliContext cli)
    {
        AttributionCommands.Add(root, cli);
    }
}
