using Attribution.Common;
using Attribution.Store;
using Microsoft.Extensions.Options;

namespace Attribution.Backfill;

/// <summary>
/// <c>serve</c>: backfills the configured repositories every <see cref="BackfillOptions.Schedule"/>, one after
/// another; a failing repository is logged and retried at the next tick. Registered only when configured.
/// </summary>
public sealed class BackfillHostedService(BackfillService backfill, IOptions<BackfillOptions> options, TimeProvider time, ILogger<BackfillHostedService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            await RunOnceAsync(settings, stoppingToken);
            await Task.Delay(settings.Schedule!.Value, time, stoppingToken);
        }
    }

    /// <summary>One pass over every configured repository.</summary>
    public async Task RunOnceAsync(BackfillOptions settings, CancellationToken cancellationToken)
    {
        var limit = Common.Since.Parse(settings.Since, time.GetUtcNow())?.From;
        foreach (var repo in settings.GitHub)
        {
            await GuardAsync("github", repo, () => backfill.RunGitHubAsync(repo, limit, null, NoProgress.Instance, cancellationToken));
        }

        foreach (var project in settings.GitLab)
        {
            await GuardAsync("gitlab", project, () => backfill.RunGitLabAsync(project, limit, NoProgress.Instance, cancellationToken));
        }
    }

    private async Task GuardAsync(string provider, string repo, Func<Task> run)
    {
        try
        {
            await run();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One failing repository must not stop serve (an unhandled BackgroundService error stops the host).
            BackfillLog.ScheduledRunFailed(logger, provider, RepoSlug.Normalize(repo), ex.Message);
        }
    }
}
