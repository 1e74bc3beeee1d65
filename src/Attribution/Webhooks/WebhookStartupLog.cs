using Attribution.Hosting;
using Microsoft.Extensions.Options;

namespace Attribution.Webhooks;

/// <summary>Says at start which receivers are disabled because their secret is unset (a missing secret disables only its receiver, loudly).</summary>
public sealed class WebhookStartupLog(IOptions<WebhookOptions> options, ILogger<WebhookStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.GitHubSecret))
        {
            WebhookLog.ReceiverUnconfigured(logger, WebhookDispatcher.GitHub);
        }

        if (string.IsNullOrEmpty(settings.GitLabToken))
        {
            WebhookLog.ReceiverUnconfigured(logger, WebhookDispatcher.GitLab);
        }

        if (string.IsNullOrEmpty(settings.CiSecret))
        {
            WebhookLog.ReceiverUnconfigured(logger, WebhookDispatcher.Ci);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
