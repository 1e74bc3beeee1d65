using Attribution.Ingest;
using Attribution.Api;
using Attribution.Artifacts;
using Attribution.Backfill;
using Attribution.Decisions;
using Attribution.Git;
using Attribution.Linking;
using Attribution.Mcp;
using Attribution.Operations;
using Attribution.Reports;
using Attribution.Sessions;
using Attribution.Stages;
using Attribution.Store;
using Attribution.Webhooks;
using Attribution.Yield;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Prometheus;
using Scalar.AspNetCore;
using Serilog;
using Attribution.Common;

namespace Attribution.Hosting;

/// <summary><c>AddAttribution()</c> and <c>UseAttribution()</c>: the whole graph, feature by feature.</summary>
public static class AttributionServices
{
    public static IServiceCollection AddAttribution(this IServiceCollection services, IConfiguration configuration, HostMode mode)
    {
        services.TryAddSingleton(TimeProvider.System);

        services.AddStore(configuration);
        services.AddSettings<SecurityOptions>(configuration, SecurityOptions.Section);
        services.AddSingleton<ChangeSignal>();
        services.AddSingleton<PassSignal>();

        if (mode == HostMode.Serve)
        {
            // Registered first so the schema exists before any other background service starts.
            services.AddHostedService<MigrationHostedService>();
        }

        services.AddProblemDetails();
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new Microsoft.OpenApi.OpenApiInfo
            {
                Title = "Attribution API",
                Version = "v1",
                Description = ApiReference.Description,
            };
            return Task.CompletedTask;
        }));
        services.AddRazorPages();

        services.AddWebhooks(configuration, mode);
        services.AddSessions(configuration, mode);
        services.AddIngest(configuration, mode);
        services.AddLinking(configuration, mode);
        services.AddArtifacts(configuration, mode);
        services.AddBackfill(configuration, mode);
        services.AddDecisions(configuration, mode);
        services.AddStages(configuration, mode);
        services.AddReports(mode);
        services.AddApi(configuration, mode);
        services.AddMcp(configuration, mode);
        services.AddYield(configuration, mode);
        return services;
    }

    public static WebApplication UseAttribution(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSerilogRequestLogging(o => o.GetLevel = RequestLogLevel);
        app.UseHttpMetrics();
        app.UseMiddleware<PageSecurityHeaders>();
        app.UseMiddleware<BrowserGuardMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseMiddleware<Mcp.McpRequestCheck>();
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new Microsoft.Extensions.FileProviders.EmbeddedFileProvider(typeof(AttributionServices).Assembly, "Attribution.wwwroot"),
        });
        app.UseRouting();

        app.MapOperationEndpoints();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/api-reference", ApiReference.Configure);
        app.MapMetrics("/metrics");
        app.MapRazorPages();

        app.MapWebhookEndpoints();
        app.MapDeliveryEndpoints();
        app.MapSessionEndpoints();
        app.MapArtifactEndpoints();
        app.MapDecisionEndpoints();
        app.MapStageEndpoints();
        app.MapApiEndpoints();
        app.MapMcpEndpoints();
        app.MapYieldEndpoints();
        return app;
    }

    // 503 is a deliberate answer (busy, over the body budget, database away: each logged where it is decided), and anyone
    // can cause it: a warning, not an error.
    private static Serilog.Events.LogEventLevel RequestLogLevel(HttpContext context, double elapsedMs, Exception? ex) =>
        ex is null && context.Response.StatusCode == StatusCodes.Status503ServiceUnavailable ? Serilog.Events.LogEventLevel.Warning
        : ex is not null || context.Response.StatusCode >= 500 ? Serilog.Events.LogEventLevel.Error
        : context.Request.Path.StartsWithSegments("/healthz") || context.Request.Path.StartsWithSegments("/metrics") ? Serilog.Events.LogEventLevel.Verbose
        : Serilog.Events.LogEventLevel.Information;
}
