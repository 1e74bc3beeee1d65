namespace Attribution.Store;

/// <summary>A row of <c>sessions</c>, as every read of one session gives it (ingest, query surfaces, its page; a read may
/// select only some columns).</summary>
public sealed class SessionRecord
{
    public string SessionId { get; init; } = "";
    public string Agent { get; init; } = "";
    public string? Model { get; init; }
    public DateTimeOffset? StartedTs { get; init; }
    public DateTimeOffset? EndedTs { get; init; }
    public string? Cwd { get; init; }
    public string? GitBranch { get; init; }
    public string? RepoSlug { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheWriteTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public double? CostUsd { get; init; }
    public string? Title { get; init; }

    /// <summary>The session this sub-agent was spawned or forked from; null for a top-level session.</summary>
    public string? ParentSessionId { get; init; }

    public DateTimeOffset UpdatedTs { get; init; }
}

/// <summary>
/// A row of <c>session_events</c>, one thing a session did: a shell command, an edit, a commit, a branch, a push or a PR.
/// <see cref="IsError"/> is null when the result was never seen; <see cref="Id"/> is set once stored.
/// </summary>
public sealed record SessionEventRecord
{
    public long Id { get; init; }
    public required string SessionId { get; init; }
    public required string RecordKey { get; init; }
    public required string Kind { get; init; }
    public required DateTimeOffset Ts { get; init; }
    public string? Command { get; init; }
    public string? OutputExcerpt { get; init; }
    public bool? IsError { get; init; }
    public string? Path { get; init; }
    public string? AbsPath { get; init; }
    public string? AddedText { get; init; }
    public string? Sha { get; init; }
    public string? Branch { get; init; }
    public string? Subject { get; init; }
    public string? Url { get; init; }
    public int? PrNumber { get; init; }
    public string? ToolName { get; init; }
}

/// <summary>A row of <c>session_files</c>: how far a transcript file has been read.</summary>
public sealed record SessionFileState
{
    public string Path { get; init; } = "";
    public long Size { get; init; }
    public long ByteOffset { get; init; }
    public long LineCount { get; init; }
    public string? HeadHash { get; init; }
    public string? Agent { get; init; }
    public string? SessionId { get; init; }
}

/// <summary>Token counts of one stored message, for totals and cost.</summary>
public sealed record SessionMessageUsage
{
    public string MessageId { get; init; } = "";
    public string? Model { get; init; }
    public DateTimeOffset? Ts { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheWriteTokens { get; init; }
    public long CacheReadTokens { get; init; }
}

/// <summary>What a session's messages add up to.</summary>
public sealed record SessionTotals(string? Model, long InputTokens, long OutputTokens, long CacheWriteTokens, long CacheReadTokens, decimal? CostUsd);

/// <summary>What a save changed.</summary>
public sealed record SessionSaveResult(int NewSessions, int UpdatedSessions, int NewEvents);
