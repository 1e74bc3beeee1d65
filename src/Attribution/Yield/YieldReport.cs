namespace Attribution.Yield;

/// <summary>The yield report: totals, per agent/model groups, outcome chart buckets and one page of sessions.</summary>
public sealed record YieldReport
{
    public required string Period { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset GeneratedAt { get; init; }
    public string? Repo { get; init; }
    public string? Agent { get; init; }
    public string? Model { get; init; }
    public required string Sort { get; init; }

    /// <summary>The outcome class the session rows are limited to, if any.</summary>
    public string? Outcome { get; init; }
    public int StillGoodAfterDays { get; init; }
    public double MinConfidence { get; init; }
    public required YieldTotals Totals { get; init; }
    public required IReadOnlyList<YieldGroup> Groups { get; init; }
    public required IReadOnlyList<YieldOutcomeBucket> Timeline { get; init; }
    public required IReadOnlyList<YieldOutcomeCost> CostByOutcome { get; init; }
    public required IReadOnlyList<YieldSessionRow> Sessions { get; init; }
    public int Page { get; init; }
    public int PageSize { get; init; }
    /// <summary>Session rows matching (all pages).</summary>
    public int TotalSessions { get; init; }
    public int PageCount => TotalSessions == 0 ? 1 : (TotalSessions + PageSize - 1) / PageSize;
}

/// <summary>
/// Sums over a set of sessions. Rates are null when their denominator is zero: <c>CiPassRate</c> over linked
/// commits with a CI verdict, <c>RevertRate</c> over sessions that produced work, <c>StillGoodRate</c> over
/// sessions whose work is at least N days old, <c>CostPerMergedPr</c> = cost / distinct merged PRs, <c>FixRate</c> over
/// sessions that produced work (a later <c>fix</c> touch of it), <c>CiFirstPassRate</c> over linked commits whose
/// first CI try is known, <c>HeldUpPrsPer100Usd</c> = merged PRs of still-good sessions per 100 USD spent. Line
/// figures (<c>LinesWritten</c>, <c>LineSurvival*</c>) are filled only where line outcomes were read (the team report).
/// </summary>
public sealed record YieldTotals
{
    public int Sessions { get; init; }
    public double CostUsd { get; init; }
    public int CommitsLinked { get; init; }
    public int PrsMerged { get; init; }
    public int CiPassed { get; init; }
    public int CiFailed { get; init; }
    public double? CiPassRate { get; init; }
    public int SessionsWithWork { get; init; }
    public int Reverted { get; init; }
    public double? RevertRate { get; init; }
    public int StillGoodEligible { get; init; }
    public int StillGood { get; init; }
    public double? StillGoodRate { get; init; }
    public double? CostPerMergedPr { get; init; }
    public int Fixed { get; init; }
    public double? FixRate { get; init; }
    public int CiFirstPassed { get; init; }
    public int CiFirstJudged { get; init; }
    public double? CiFirstPassRate { get; init; }
    public int HeldUpPrs { get; init; }
    public double? HeldUpPrsPer100Usd { get; init; }
    public int? LinesWritten { get; init; }
    public double? LineSurvivalAtHead { get; init; }
    public double? LineSurvival30d { get; init; }
    public required IReadOnlyDictionary<string, int> ByOutcome { get; init; }
}

/// <summary>Totals of one agent/model pair.</summary>
public sealed record YieldGroup(string Agent, string? Model, YieldTotals Totals);

/// <summary>Sessions started in one time bucket, counted per outcome class.</summary>
public sealed record YieldOutcomeBucket(DateTimeOffset Start, string Label, IReadOnlyDictionary<string, int> Counts)
{
    public int Total => Counts.Values.Sum();
}

/// <summary>Sessions and cost of one outcome class.</summary>
public sealed record YieldOutcomeCost(string Outcome, int Sessions, double CostUsd);

/// <summary>A PR as a yield row shows it.</summary>
public sealed record YieldPr(string Provider, string Repo, long Number, string? Title, string State, DateTimeOffset? MergedAt, DateTimeOffset? RevertedAt, string? Url);

/// <summary>One session of the report.</summary>
public sealed record YieldSessionRow
{
    public required string SessionId { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public string? Repo { get; init; }
    public required string Agent { get; init; }
    public string? Model { get; init; }
    public string? Title { get; init; }
    public required string Outcome { get; init; }
    public int Commits { get; init; }
    public YieldPr? PullRequest { get; init; }
    public int PullRequestCount { get; init; }
    public string? CiStatus { get; init; }
    public bool? StillGood { get; init; }
    public int DownstreamTouches { get; init; }
    public double? CostUsd { get; init; }
}

/// <summary>Distinct values to offer in the dashboard's filters.</summary>
public sealed record YieldFilterOptions(IReadOnlyList<string> Repos, IReadOnlyList<string> Agents, IReadOnlyList<string> Models);
