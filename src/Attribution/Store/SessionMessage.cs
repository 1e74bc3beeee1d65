namespace Attribution.Store;

/// <summary>Token usage of one API message (Claude Code) or a session's cumulative total (Codex).</summary>
public sealed record SessionMessage(
    string SessionId, string MessageId, string? Model, DateTimeOffset? Ts,
    long InputTokens, long OutputTokens, long CacheWriteTokens, long CacheReadTokens);
