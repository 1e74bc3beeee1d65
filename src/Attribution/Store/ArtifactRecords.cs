namespace Attribution.Store;

/// <summary>
/// One row of <c>run_attribution_artifacts</c>: a signed agent artifact and the session (<see cref="SpanId"/>) that
/// made it. <see cref="Kind"/> is <c>issue_comment</c>, <c>review</c>, <c>review_comment</c>, <c>note</c> or <c>commit</c>.
/// </summary>
public sealed record ArtifactRecord
{
    public long Id { get; init; }
    public required string Provider { get; init; }
    public required string RepoSlug { get; init; }
    public required string Kind { get; init; }
    public string? CommentId { get; init; }
    public string? ReviewId { get; init; }
    public string? ReviewCommentId { get; init; }
    public string? ParentCommentId { get; init; }
    public long? PrNumber { get; init; }
    public string? FilePath { get; init; }
    public long? Line { get; init; }
    public string? CommitSha { get; init; }
    public required string SpanId { get; init; }
    public string? AgentName { get; init; }
    public required string InstanceId { get; init; }
    public required string MetadataJson { get; init; }
    public string? DeliveryId { get; init; }
    public DateTimeOffset CapturedTs { get; init; }
}

/// <summary>A commit whose message names an <c>Agents-Attribution</c> trailer (cursor: updated_ts, repo, sha).</summary>
public sealed record SignedCommitRow
{
    public required string RepoSlug { get; init; }
    public required string Sha { get; init; }
    public string? Message { get; init; }
    public required string UpdatedTs { get; init; }
}

/// <summary>What the resolver needs to know of a session.</summary>
public sealed record SessionSummary
{
    public required string SessionId { get; init; }
    public required string Agent { get; init; }
    public DateTimeOffset? StartedTs { get; init; }
    public DateTimeOffset? EndedTs { get; init; }
}

/// <summary>Feedback left on a session's artifacts, and through which artifact it reached the session.</summary>
public sealed record SessionFeedback
{
    public required string Provider { get; init; }
    public required string RepoSlug { get; init; }
    public required string Kind { get; init; }
    public required string ExternalId { get; init; }
    public long? PrNumber { get; init; }
    public string? Path { get; init; }
    public long? Line { get; init; }
    public string? Author { get; init; }
    public string? Body { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary><c>artifact_parent_comment</c>, <c>artifact_review</c> or <c>commit_artifact</c>.</summary>
    public required string Mode { get; init; }
}
