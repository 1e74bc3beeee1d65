namespace Attribution.Tests.Webhooks;

public sealed class CiRunRow
{
    public string Provider { get; init; } = "";
    public string RepoSlug { get; init; } = "";
    public string RunId { get; init; } = "";
    public string? CommitSha { get; init; }
    public string Status { get; init; } = "";
    public string? WorkflowName { get; init; }
    public string? Branch { get; init; }
    public string? Url { get; init; }
    public string? StartedTs { get; init; }
    public string? CompletedTs { get; init; }
    public long RunAttempt { get; init; }
    public string? RawJson { get; init; }
}

public sealed class FeedbackRow
{
    public string Provider { get; init; } = "";
    public string RepoSlug { get; init; } = "";
    public string Kind { get; init; } = "";
    public string ExternalId { get; init; } = "";
    public long? PrNumber { get; init; }
    public string? ReviewId { get; init; }
    public string? InReplyToId { get; init; }
    public string? Path { get; init; }
    public long? Line { get; init; }
    public string? CommitSha { get; init; }
    public string? Author { get; init; }
    public string? Body { get; init; }
    public string? CreatedAt { get; init; }
    public string? DeliveryId { get; init; }
}

public sealed class CommitRow
{
    public string Sha { get; init; } = "";
    public string? AuthorName { get; init; }
    public string? AuthorEmail { get; init; }
    public string? AuthorTs { get; init; }
    public string? CommitterName { get; init; }
    public string? Message { get; init; }
    public string? Subject { get; init; }
    public string Source { get; init; } = "";
}

public sealed class FileRow
{
    public string Sha { get; init; } = "";
    public string Path { get; init; } = "";
    public string Status { get; init; } = "";
}

public sealed class PrCommitRow
{
    public long PrNumber { get; init; }
    public string Sha { get; init; } = "";
    public string Source { get; init; } = "";
}
