namespace Attribution.Sessions;

/// <summary>Kinds of <c>session_events</c> rows.</summary>
public static class SessionEventKinds
{
    public const string Shell = "shell";
    public const string Edit = "edit";
    public const string Commit = "commit";
    public const string Branch = "branch";
    public const string Push = "push";
    public const string Pr = "pr";
}

/// <summary>Agent names stored in <c>sessions.agent</c>.</summary>
public static class SessionAgents
{
    public const string ClaudeCode = "claude-code";
    public const string Codex = "codex";
}

/// <summary>One thing a session did: a shell command, an edit, a commit, a branch, a push or a PR.</summary>
public sealed record SessionEvent(string SessionId, string RecordKey, string Kind, DateTimeOffset Ts)
{
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

/// <summary>Token usage of one API message (Claude Code) or a session's cumulative total (Codex).</summary>
public sealed record SessionMessage(
    string SessionId, string MessageId, string? Model, DateTimeOffset? Ts,
    long InputTokens, long OutputTokens, long CacheWriteTokens, long CacheReadTokens);
