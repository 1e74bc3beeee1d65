using System.CommandLine;
using Attribution.Hosting;
using ModelContextProtocol.Server;
using Attribution.Common;

namespace Attribution.Mcp;

/// <summary>
/// The MCP endpoint (streamable HTTP) at <c>/mcp</c>: read-only tools over the attribution documents.
/// Stateless, so any instance behind a load balancer can answer; the API key guard covers it (ApiKeyMiddleware).
/// </summary>
public static class McpModule
{
    public static IServiceCollection AddMcp(this IServiceCollection services, IConfiguration configuration, HostMode mode)
    {
        services.AddMcpServer(o => o.ServerInfo = new ModelContextProtocol.Protocol.Implementation
            {
                Name = "attribution",
                Version = typeof(McpModule).Assembly.GetName().Version?.ToString() ?? "1.0.0",
            })
            .WithHttpTransport(o => o.Stateless = true)
            .WithTools<AttributionTools>()
            .WithResources<AttributionResources>()
            .WithRequestFilters(filters => filters.AddCallToolFilter(next => async (context, cancellationToken) =>
            {
                // A missing, unknown or mistyped argument says which and why, before the SDK's binding would fail without a reason.
                if (context.MatchedPrimitive is McpServerTool tool
                    && ToolArgumentCheck.Problem(tool.ProtocolTool.Name, tool.ProtocolTool.InputSchema, context.Params?.Arguments?.ToDictionary()) is { } problem)
                {
                    return ToolAnswer.Error(problem);
                }

                return await next(context, cancellationToken);
            }));
        return services;
    }

    public static IEndpointRouteBuilder MapMcpEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMcp("/mcp").WithTags("MCP").ExcludeFromDescription();
        return endpoints;
    }

    public static void AddMcpCommands(RootCommand root, CliContext cli)
    {
    }
}
