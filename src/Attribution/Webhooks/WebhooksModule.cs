using Attribution.Hosting;
using Attribution.Store;
using Attribution.Common;

namespace Attribution.Webhooks;

/// <summary>Wiring of the Webhooks feature: services, endpoints and CLI commands.</summary>
public static class WebhooksModule
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration, HostMode mode)
    {
        services.AddSettings<WebhookOptions>(configuration, WebhookOptions.Section)
            .Validate(o => o.MaxBodyBytes > 0, "Webhook body limit must be positive.")
            .Validate(o => o.MaxInFlightBodyBytes > 0, "The webhook in-flight body budget must be positive.");
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<FeedbackStore>();
        services.AddSingleton<WebhookEffectApplier>();
        services.AddSingleton<WebhookWriteGate>();
        services.AddSingleton<DeliveryWriter>();
        services.AddSingleton<DeliveryProcessor>();
        services.AddSingleton<DeliveryReplay>();
        services.AddSingleton<DeliveryLog>();
        services.AddSingleton<WebhookBodyBudget>();
        services.AddSingleton<WebhookReceiver>();
        if (mode == HostMode.Serve)
        {
            // After the migration hosted service (registered earlier), so the inbox replay sees the schema.
            services.AddHostedService<WebhookStartupLog>();
            services.AddHostedService(sp => sp.GetRequiredService<DeliveryWriter>());
            services.AddHostedService(sp => sp.GetRequiredService<DeliveryProcessor>());
        }

        return services;
    }

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/webhooks").WithTags("Webhooks").DisableAntiforgery();
        group.MapPost("/github", (HttpContext context, WebhookReceiver receiver, CancellationToken ct) => receiver.ReceiveAsync(context, WebhookDispatcher.GitHub, ct))
            .WithName("GitHubWebhook").WithSummary("GitHub webhook receiver (X-Hub-Signature-256)")
            .Produces<WebhookReceiver.AcceptedAnswer>(StatusCodes.Status202Accepted).Produces<WebhookReceiver.DuplicateAnswer>()
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(413).ProducesProblem(503);
        group.MapPost("/gitlab", (HttpContext context, WebhookReceiver receiver, CancellationToken ct) => receiver.ReceiveAsync(context, WebhookDispatcher.GitLab, ct))
            .WithName("GitLabWebhook").WithSummary("GitLab webhook receiver (X-Gitlab-Token)")
            .Produces<WebhookReceiver.AcceptedAnswer>(StatusCodes.Status202Accepted).Produces<WebhookReceiver.DuplicateAnswer>()
            .ProducesProblem(400).ProducesProblem(403).ProducesProblem(413).ProducesProblem(503);
        group.MapPost("/ci", (HttpContext context, WebhookReceiver receiver, CancellationToken ct) => receiver.ReceiveAsync(context, WebhookDispatcher.Ci, ct))
            .WithName("CiWebhook").WithSummary("Generic CI receiver (Standard Webhooks or X-Webhook-Signature-256)")
            .Produces<WebhookReceiver.AcceptedAnswer>(StatusCodes.Status202Accepted).Produces<WebhookReceiver.DuplicateAnswer>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(413).ProducesProblem(503);
        return endpoints;
    }
}
