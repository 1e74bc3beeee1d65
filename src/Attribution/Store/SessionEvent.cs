namespace Attribution.Store;

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
