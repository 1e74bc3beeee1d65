namespace Attribution.Store;

/// <summary>A row of <c>decisions</c>: what an agent decided, how sure it was, where in the code, and its outcome once judged.</summary>
public sealed record DecisionRecord
{
    public required string Id { get; init; }
    public required string Summary { get; init; }
    public required double Confidence { get; init; }
    public string? Category { get; init; }
    public string? Stakes { get; init; }
    public string? Agent { get; init; }
    public string? Context { get; init; }
    public string? Project { get; init; }
    public string? Feature { get; init; }
    public long? PrNumber { get; init; }
    public string? FilePath { get; init; }
    public long? Line { get; init; }
    public string? CommitSha { get; init; }
    public required DateTimeOffset CreatedTs { get; init; }
    public string? Outcome { get; init; }

    /// <summary><c>review</c> (a person or agent said so) or <c>attribution</c> (judged from the code's history).</summary>
    public string? OutcomeSource { get; init; }
    public string? OutcomeReason { get; init; }
    public DateTimeOffset? ReviewedTs { get; init; }
}

/// <summary>Filters of <c>queryDecisions</c> and <c>getCalibration</c>; null = no filter.</summary>
public sealed record DecisionFilter
{
    public string? Project { get; init; }
    public string? Feature { get; init; }
    public long? Pr { get; init; }
    public string? Category { get; init; }
    public string? Agent { get; init; }
    public bool? HasOutcome { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }

    /// <summary>Any of these stakes (CSTP <c>filters.stakes</c>); null or empty = no filter.</summary>
    public IReadOnlyList<string>? Stakes { get; init; }

    public double? MinConfidence { get; init; }
    public double? MaxConfidence { get; init; }
    public int Limit { get; init; } = 10_000;
}

/// <summary>An outcome judged by attribution for one decision.</summary>
public sealed record AttributedOutcome(string DecisionId, string Outcome, string Verdict, string Reason, string? BugId);

/// <summary>A row of <c>bug_reports</c>: where a bug surfaced, the commit blame says introduced that line, and the trace's frames (JSON).</summary>
public sealed record BugReportRecord
{
    public required string Id { get; init; }
    public required string Project { get; init; }
    public string? FilePath { get; init; }
    public long? Line { get; init; }

    /// <summary>The line's number in the introducing commit (blame), when known.</summary>
    public long? OriginLine { get; init; }
    public string? IntroducingSha { get; init; }
    public long? PrNumber { get; init; }
    public string? AtCommit { get; init; }
    public string? Description { get; init; }
    public required string FramesJson { get; init; }
    public required DateTimeOffset ReportedTs { get; init; }
    public long Missed { get; init; }
}
