using Attribution.Common;

namespace Attribution.Store;

// Rows read by AttributionQueryStore. Mutable classes (not positional records) because Dapper converts
// column types per property: SQLite answers INTEGER as Int64 where PostgreSQL answers Int32.

/// <summary>A commit as every read of one commit gives it (query surfaces, its page); a read fills the columns it selects.</summary>
public sealed class CommitRow
{
    public string RepoSlug { get; set; } = "";
    public string Sha { get; set; } = "";
    public string? Parents { get; set; }
    public string? AuthorName { get; set; }
    public string? AuthorEmail { get; set; }
    public string? CommitterName { get; set; }
    public string? Message { get; set; }
    public string? Subject { get; set; }
    public DateTimeOffset? CommitterTs { get; set; }
    public DateTimeOffset? AuthorTs { get; set; }
    public string? RevertsSha { get; set; }
    public string? Agent { get; set; }
    public string? AgentModel { get; set; }
    public string Source { get; set; } = "";
}

/// <summary>
/// A session↔commit link with its evidence and what is known of the commit and of the session, as every read of links
/// gives it (the commit and session documents, their pages); a read fills the columns it selects.
/// </summary>
public sealed class LinkRow
{
    public string CommitSha { get; set; } = "";
    public string RepoSlug { get; set; } = "";
    public string SessionId { get; set; } = "";
    public string LinkType { get; set; } = "";
    public double Confidence { get; set; }
    public string EvidenceJson { get; set; } = "{}";
    public DateTimeOffset? EstablishedTs { get; set; }
    public string? Subject { get; set; }
    public DateTimeOffset? CommitterTs { get; set; }
    public string? AuthorName { get; set; }
    public string? Agent { get; set; }
    public string? Model { get; set; }
    public double? CostUsd { get; set; }

    /// <summary>The linked session's title and start, to name it.</summary>
    public string? SessionTitle { get; set; }
    public DateTimeOffset? SessionStartedTs { get; set; }
}

/// <summary>
/// A CI run (workflow run, job, check, commit status, pipeline) of a commit (<c>ci_runs</c>): what a source saw, which
/// <see cref="CiRunStore"/> writes, and what every read shows; a read fills the columns it selects. <see cref="RunId"/>
/// is unique per provider (see <c>Providers.CiRunIds</c> for the prefixes used for GitHub and GitLab kinds).
/// </summary>
public class CiRunRow
{
    public required string Provider { get; set; }
    public required string RepoSlug { get; set; }
    public required string RunId { get; set; }
    public string? CommitSha { get; set; }

    /// <summary><c>success|failure|cancelled|in_progress|pending|skipped</c>.</summary>
    public required string Status { get; set; }
    public string? WorkflowName { get; set; }
    public string? Branch { get; set; }
    public string? Url { get; set; }
    public DateTimeOffset? StartedTs { get; set; }
    public DateTimeOffset? CompletedTs { get; set; }
    public DateTimeOffset UpdatedTs { get; set; }

    /// <summary>
    /// Which attempt of the run <see cref="Status"/> is: re-runs of one run id count up and a higher attempt always wins
    /// (1 unless it was re-run; reads that do not select it keep 1).
    /// </summary>
    public int RunAttempt { get; set; } = 1;

    /// <summary>The provider's own <c>updated_at</c> and object, written with the run to keep its newest version (no read selects them).</summary>
    public DateTimeOffset? SourceUpdatedAt { get; set; }
    public string? RawJson { get; set; }

    /// <summary>What the CI roll-up reads of this run.</summary>
    public CiRunState ToState() => new(Provider, WorkflowName, RunId, Status, CompletedTs ?? StartedTs ?? UpdatedTs, RunAttempt);
}

/// <summary>
/// A later commit touching the files of a commit or PR (<c>revert</c>, <c>fix</c> or <c>other</c>), as every read of
/// touches gives it; a read fills the columns it selects.
/// </summary>
public sealed class TouchRow
{
    public string RepoSlug { get; set; } = "";
    public string TargetKind { get; set; } = "";
    public string TargetKey { get; set; } = "";
    public string TouchSha { get; set; } = "";
    public string Classification { get; set; } = "";
    public DateTimeOffset TouchedTs { get; set; }
    public string? FilesJson { get; set; }
    public string? Subject { get; set; }

    /// <summary>How many of the target's own lines the touch removed or rewrote (null: not measured).</summary>
    public int? LinesChanged { get; set; }

    /// <summary>On a session's page: the confidence of the session's link to the target commit.</summary>
    public double? LinkConfidence { get; set; }
}

/// <summary>Filters of the PR outcome list (all optional; values already validated and normalised).</summary>
public sealed record PrOutcomeFilter(string? RepoSlug, string? State, DateTimeOffset? Since, int Limit);

/// <summary>Filters of the CI run list (all optional; values already validated and normalised).</summary>
public sealed record CiRunFilter(string? RepoSlug, string? CommitSha, string? Status, int Limit);

/// <summary>What <see cref="AttributionQueryStore.GetCommitGraphAsync"/> reads for one commit.</summary>
public sealed record CommitGraphRows(
    IReadOnlyList<LinkRow> Links,
    IReadOnlyList<PullRequestRow> PullRequests,
    IReadOnlyList<CiRunRow> CiRuns,
    IReadOnlyList<TouchRow> Touches,
    IReadOnlyList<TouchRow> Reverts);
