namespace Attribution.Sessions;

/// <summary>Log messages of session ingest (event ids 3000-3099). Never logs transcript content.</summary>
internal static partial class SessionLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Transcript warning: {Warning}")]
    public static partial void TranscriptWarning(ILogger logger, string warning);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "{Count} more transcript warnings in {Path} not shown")]
    public static partial void WarningsSuppressed(ILogger logger, string path, int count);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Cannot read transcript {Path}: {Reason}")]
    public static partial void FileUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Ingested {Path}: {Sessions} sessions, {Events} new events, {Skipped} lines skipped")]
    public static partial void FileIngested(ILogger logger, string path, int sessions, int events, int skipped);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Session {SessionId} attributed to repository {RepoSlug} by {Rule}")]
    public static partial void RepositoryResolved(ILogger logger, string sessionId, string repoSlug, string rule);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Session watcher ingested {Files} changed files: {Sessions} sessions, {Events} new events")]
    public static partial void WatcherIngested(ILogger logger, int files, int sessions, int events);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Error, Message = "Session watcher pass failed")]
    public static partial void WatcherFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Watching session transcripts in {Folders}")]
    public static partial void WatcherStarted(ILogger logger, string folders);
}
