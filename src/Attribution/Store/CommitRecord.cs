namespace Attribution.Store;

/// <summary>
/// A commit as any source saw it: <c>git</c> (complete: parents, both identities, files with line counts),
/// <c>push</c> (webhook: message, author, files without line counts) or <c>api</c> (REST backfill).
/// </summary>
public sealed record CommitRecord
{
    public required string RepoSlug { get; init; }
    public required string Sha { get; init; }
    public required string Source { get; init; }
    public IReadOnlyList<string> Parents { get; init; } = [];
    public string? AuthorName { get; init; }
    public string? AuthorEmail { get; init; }
    public DateTimeOffset? AuthorTs { get; init; }
    public string? CommitterName { get; init; }
    public string? CommitterEmail { get; init; }
    public DateTimeOffset? CommitterTs { get; init; }
    public string? Message { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Trailers { get; init; } = [];
    public string? RevertsSha { get; init; }
    public string? Agent { get; init; }
    public string? AgentModel { get; init; }

    /// <summary>True when <see cref="Files"/> is the commit's complete file list with line counts (git).</summary>
    public bool FilesComplete { get; init; }
    public IReadOnlyList<CommitFileRecord> Files { get; init; } = [];

    /// <summary>Branches (short names, e.g. <c>feat/x</c>) the commit was seen on.</summary>
    public IReadOnlyList<string> Refs { get; init; } = [];

    /// <summary>First line of the message.</summary>
    public string? Subject => Message is null ? null : Message.Split('\n', 2)[0].TrimEnd('\r');
}

/// <summary>A file a commit touched. Status: <c>added|modified|deleted|renamed</c>.</summary>
public sealed record CommitFileRecord(string Path, string Status, string? OldPath = null, int? AddedLines = null, int? DeletedLines = null);
