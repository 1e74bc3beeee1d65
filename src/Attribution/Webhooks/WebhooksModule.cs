using System.CommandLine;
using Attribution.Hosting;

namespace Attribution.Webhooks;

/// <summary>Wiring of the Webhooks feature: services, endpoints and CLI commands.</summary>
public static class WebhooksModule
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration, HostMode mode)
    {
        return services;
    }

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }

    public static void AddWebhookCommands(RootCommand root, CliContext cli)
    {
    }
}
