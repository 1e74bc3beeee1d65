using Attribution.Hosting;
using Attribution.Operations;
using Attribution.Store;
using Microsoft.Extensions.Options;
using Attribution.Common;

namespace Attribution.Backfill;

/// <summary>Runs one backfill of a GitHub repository or GitLab project: builds the client, runs, records metrics and signals.</summary>
public sealed class BackfillService(
    BackfillRunner runner,
    IOptions<GitHubOptions> github,
    IOptions<GitLabOptions> gitlab,
    ChangeSignal signal,
    TimeProvider time,
    ILogger<BackfillService> logger,
    BackfillHttpSettings? httpSettings = null)
{
    private readonly BackfillHttpSettings _http = httpSettings ?? new BackfillHttpSettings();

    public async Task<BackfillStats> RunGitHubAsync(string repository, DateTimeOffset? since, string? token, IBackfillProgress progress, CancellationToken cancellationToken)
    {
        var stats = new BackfillStats();
        using var handler = Handler(stats, cancellationToken);
        var apiUrl = new Uri(github.Value.ApiUrl, UriKind.Absolute);
        var connection = GitHubSource.Connect(apiUrl, string.IsNullOrWhiteSpace(token) ? github.Value.Token : token, handler);
        return await RunAsync(new GitHubSource(connection, repository, _http.PageSize), since, stats, progress, cancellationToken);
    }

    public async Task<BackfillStats> RunGitLabAsync(string project, DateTimeOffset? since, IBackfillProgress progress, CancellationToken cancellationToken)
    {
        var stats = new BackfillStats();
        using var http = GitLabSource.Connect(new Uri(gitlab.Value.Url, UriKind.Absolute), gitlab.Value.Token, Handler(stats, cancellationToken));
        return await RunAsync(new GitLabSource(http, project, _http.PageSize), since, stats, progress, cancellationToken);
    }

    private ApiRetryHandler Handler(BackfillStats stats, CancellationToken cancellationToken) =>
        new(_http, stats, time, logger, cancellationToken) { InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) } };

    private async Task<BackfillStats> RunAsync(IPullRequestSource source, DateTimeOffset? since, BackfillStats stats, IBackfillProgress progress, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            await runner.RunAsync(source, since, stats, progress, cancellationToken);
        }
        finally
        {
            progress.Complete();
            AttributionMetrics.IngestDuration.WithLabels(source.Provider).Observe(time.GetElapsedTime(started).TotalSeconds);
            if (stats.StoredSomething)
            {
                // Also after a failed run: what was stored before the failure is new data.
                signal.Notify("backfill");
            }
        }

        BackfillLog.Finished(logger, stats.Summary(source.Provider, source.Repository));
        return stats;
    }
}
