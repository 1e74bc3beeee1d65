using Attribution.Common;

namespace Attribution.Store;

// Row types of LinkingInputStore: settable classes so Dapper converts column types (INTEGER flags, int/long,
// timestamp text) the same way in both dialects.

/// <summary>A session as the linker needs it.</summary>
public sealed class LinkSession
{
    public string SessionId { get; set; } = "";
    public string Agent { get; set; } = "";
    public string? Model { get; set; }
    public string? RepoSlug { get; set; }
    public DateTimeOffset? StartedTs { get; set; }
    public DateTimeOffset? EndedTs { get; set; }

    /// <summary>The session this sub-agent was spawned or forked from (<c>sessions.parent_session_id</c>).</summary>
    public string? ParentSessionId { get; set; }

    /// <summary>The folder the session worked in (<c>sessions.cwd</c>), as the agent recorded it.</summary>
    public string? Cwd { get; set; }

    /// <summary>The id the agent's hosted side knows the session by (<c>sessions.remote_id</c>): a session trailer may name it.</summary>
    public string? RemoteId { get; set; }
}

/// <summary>A session event as the linker needs it (kinds: see <c>SessionEventKinds</c>).</summary>
public sealed class LinkSessionEvent
{
    /// <summary>The stored row's id, where a read asks for it (the order of events with the same time); else 0.</summary>
    public long Id { get; set; }

    public string SessionId { get; set; } = "";
    public string Kind { get; set; } = "";
    public DateTimeOffset Ts { get; set; }
    public string? Command { get; set; }
    public string? OutputExcerpt { get; set; }
    public long IsError { get; set; }
    public string? Path { get; set; }
    public string? AbsPath { get; set; }
    public string? AddedText { get; set; }
    public string? Sha { get; set; }
    public string? Branch { get; set; }
    public string? Subject { get; set; }
    public string? Url { get; set; }
    public long? PrNumber { get; set; }
}

/// <summary>A commit as the linker needs it.</summary>
public sealed class LinkCommit
{
    public string Sha { get; set; } = "";
    public DateTimeOffset CommitterTs { get; set; }
    public DateTimeOffset? AuthorTs { get; set; }
    public string? AuthorEmail { get; set; }
    public string? CommitterEmail { get; set; }
    public string? Subject { get; set; }
    public string? Message { get; set; }
    public string TrailersJson { get; set; } = "[]";
    public string? Agent { get; set; }
    public string? AgentModel { get; set; }
    public string? RevertsSha { get; set; }
    public string Parents { get; set; } = "[]";
}

/// <summary>One file of one commit.</summary>
public sealed class LinkCommitFile
{
    public string Sha { get; set; } = "";
    public string Path { get; set; } = "";

    /// <summary>The path before a rename by this commit; null otherwise.</summary>
    public string? OldPath { get; set; }
}

/// <summary>A pull/merge request as the linker needs it.</summary>
public sealed class LinkPullRequest
{
    public string Provider { get; set; } = "";
    public string RepoSlug { get; set; } = "";
    public long PrNumber { get; set; }
    public string State { get; set; } = "";
    public DateTimeOffset? MergedAt { get; set; }
    public DateTimeOffset? RevertedAt { get; set; }
    public long? RevertedByPr { get; set; }
    public string? Url { get; set; }
    public string? HeadRef { get; set; }
    public string? HeadSha { get; set; }
    public string? BaseRef { get; set; }
    public string? MergeCommitSha { get; set; }
}

/// <summary>A PR's commit.</summary>
public sealed class LinkPrCommit
{
    public string Provider { get; set; } = "";
    public long PrNumber { get; set; }
    public string Sha { get; set; } = "";
}
