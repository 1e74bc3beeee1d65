namespace Attribution.Store;

/// <summary>
/// A PR linked to a session or commit, with how it was linked: the one row of a <c>pr_outcomes</c> row seen from a
/// session (session and PR pages, and the yield's PRs of each session, which read no link columns).
/// </summary>
public sealed record PrLinkRow
{
    public required string Provider { get; init; }
    public required string RepoSlug { get; init; }
    public long PrNumber { get; init; }
    public string? SessionId { get; init; }
    public string? Reason { get; init; }
    public double? Confidence { get; init; }
    public string? EvidenceJson { get; init; }
    public string? Title { get; init; }
    public string? State { get; init; }
    public DateTimeOffset? MergedAt { get; init; }
    public DateTimeOffset? RevertedAt { get; init; }
    public string? Url { get; init; }
    public long? DownstreamTouchCount { get; init; }

    /// <summary>The linked session's title and start, to name it (PR page).</summary>
    public string? SessionTitle { get; init; }
    public DateTimeOffset? SessionStartedTs { get; init; }
}

/// <summary>A file a commit touched.</summary>
public sealed record CommitFileRow
{
    public required string Path { get; init; }
    public required string Status { get; init; }
    public string? OldPath { get; init; }
    public long? AddedLines { get; init; }
    public long? DeletedLines { get; init; }
}

/// <summary>A commit of a PR.</summary>
public sealed record PrCommitRow
{
    public required string Sha { get; init; }
    public required string Source { get; init; }
    public string? Subject { get; init; }
    public DateTimeOffset? CommitterTs { get; init; }
    public string? AuthorName { get; init; }
}

/// <summary>A webhook delivery without its body.</summary>
public sealed record DeliveryRow
{
    public long Id { get; init; }
    public required string Receiver { get; init; }
    public required string DeliveryId { get; init; }
    public required string Event { get; init; }
    public string? Action { get; init; }
    public string? RepoSlug { get; init; }
    public required string Status { get; init; }
    public string? Reason { get; init; }
    public required DateTimeOffset ReceivedTs { get; init; }
    public DateTimeOffset? ProcessedTs { get; init; }
    public long Attempts { get; init; }

    /// <summary>Whether the body is still stored (failed deliveries keep it), so the delivery can be replayed.</summary>
    public bool HasBody { get; init; }
}
