namespace Attribution.Yield;

/// <summary>
/// What to report on. <see cref="Since"/>: see <see cref="Common.Since"/>. <see cref="Sort"/>: a column
/// name (<c>started</c>, <c>repo</c>, <c>agent</c>, <c>outcome</c>, <c>commits</c>, <c>touches</c>, <c>cost</c>),
/// <c>-</c> prefix for descending; default <c>-started</c>.
/// </summary>
public sealed record YieldQuery
{
    /// <summary>The page size of <c>GET /api/yield</c> and the MCP <c>get_yield</c> tool when none is asked for (the dashboard pages at 50).</summary>
    public const int ApiPageSize = 100;

    /// <summary>The period when none is asked for.</summary>
    public const string DefaultPeriod = "7d";

    /// <summary>Any value <see cref="Common.Since"/> reads (durations, dates, timestamps, <c>today</c>, <c>all</c>).</summary>
    public string? Since { get; init; }
    public string? Repo { get; init; }
    public string? Agent { get; init; }
    public string? Model { get; init; }
    public string? Sort { get; init; }

    /// <summary>Limits the session rows (not the totals) to one outcome class.</summary>
    public string? Outcome { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;
    public int StillGoodAfterDays { get; init; } = Linking.Outcomes.Verdicts.StillGoodDays;
    public double MinConfidence { get; init; } = Linking.Outcomes.Verdicts.DefaultMinConfidence;
}
