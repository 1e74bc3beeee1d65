namespace Attribution.Sessions;

/// <summary>
/// In <c>serve</c>: ingests new and grown transcripts from the default folders on start, then whenever a file
/// there changes (debounced), with a periodic rescan in case change notifications are lost.
/// </summary>
public sealed class SessionWatcher(SessionIngestor ingestor, TimeProvider time, ILogger<SessionWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan Debounce = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Rescan = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _changed = new(0, 1);

    /// <summary>Folders watched; defaults to the Claude Code and Codex folders.</summary>
    public IReadOnlyList<string> Folders { get; init; } = TranscriptFiles.DefaultFolders();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var watchers = new List<FileSystemWatcher>();
        try
        {
            foreach (var folder in Folders.Where(Directory.Exists))
            {
                var watcher = new FileSystemWatcher(folder, "*.jsonl") { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.LastWrite };
                watcher.Changed += (_, _) => Signal();
                watcher.Created += (_, _) => Signal();
                watcher.Renamed += (_, _) => Signal();
                watcher.Error += (_, _) => Signal();
                watcher.EnableRaisingEvents = true;
                watchers.Add(watcher);
            }

            SessionLog.WatcherStarted(logger, string.Join(", ", Folders));
            while (!stoppingToken.IsCancellationRequested)
            {
                await PassAsync(stoppingToken);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(Rescan);
                try
                {
                    await _changed.WaitAsync(timeout.Token);
                    await Task.Delay(Debounce, time, stoppingToken);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // Periodic rescan.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            foreach (var watcher in watchers)
            {
                watcher.Dispose();
            }
        }
    }

    private async Task PassAsync(CancellationToken cancellationToken)
    {
        try
        {
            var existing = Folders.Where(Directory.Exists).ToList();
            if (existing.Count == 0)
            {
                return;
            }

            var summary = await ingestor.IngestAsync(existing, repo: null, progress: null, cancellationToken);
            if (summary.FilesRead > 0)
            {
                SessionLog.WatcherIngested(logger, summary.FilesRead, summary.SessionsNew + summary.SessionsUpdated, summary.Events);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SessionLog.WatcherFailed(logger, ex);
        }
    }

    private void Signal()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A pass is already due.
        }
    }
}
