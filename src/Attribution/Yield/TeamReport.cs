namespace Attribution.Yield;

/// <summary>
/// What the team report covers: <see cref="Since"/> as <see cref="Common.Since"/> reads it; <see cref="Developer"/> a
/// git author email or name (a session's developer is the author of most of its linked commits); <see cref="Bucket"/>
/// <c>week</c>, <c>month</c> or null (weeks up to 26 weeks, else months).
/// </summary>
public sealed record TeamQuery
{
    public string? Since { get; init; }
    public string? Repo { get; init; }
    public string? Developer { get; init; }
    public string? Agent { get; init; }
    public string? Model { get; init; }
    public string? Bucket { get; init; }
    public int StillGoodAfterDays { get; init; } = Linking.Outcomes.Verdicts.StillGoodDays;
    public double MinConfidence { get; init; } = Linking.Outcomes.Verdicts.DefaultMinConfidence;
}

/// <summary>
/// The team report behind <c>/team</c> and <c>GET /api/team</c>: the figures of every agent/model setup, repository and
/// developer over the period, and the same figures per week or month for each setup (the trends). Every figure is a
/// <see cref="YieldTotals"/> computed by the yield report's one calculator, line survival included.
/// </summary>
public sealed record TeamReport
{
    public required string Period { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset GeneratedAt { get; init; }
    public string? Repo { get; init; }
    public string? Developer { get; init; }
    public string? Agent { get; init; }
    public string? Model { get; init; }
    public required string Bucket { get; init; }
    public int StillGoodAfterDays { get; init; }
    public double MinConfidence { get; init; }
    public required YieldTotals Totals { get; init; }

    /// <summary>Agent/model setups, most held-up PRs per 100 USD first.</summary>
    public required IReadOnlyList<YieldGroup> Setups { get; init; }

    /// <summary>Repositories (null: sessions without one), most sessions first.</summary>
    public required IReadOnlyList<TeamRepo> Repos { get; init; }

    /// <summary>Developers (null key: sessions without a linked commit), most sessions first.</summary>
    public required IReadOnlyList<TeamDeveloper> Developers { get; init; }

    /// <summary>The trend buckets, oldest first: from the period's start (or the first session) to now (or, for all time, the last session).</summary>
    public required IReadOnlyList<TrendBucket> Buckets { get; init; }

    /// <summary>One series for all setups together (agent null), then one per setup; each has a point per bucket.</summary>
    public required IReadOnlyList<TrendSeries> Trends { get; init; }
}

public sealed record TeamRepo(string? Repo, YieldTotals Totals);

/// <summary>A developer: <see cref="Key"/> is the lower-cased email (or name when there is none).</summary>
public sealed record TeamDeveloper(string? Key, string? Name, string? Email, YieldTotals Totals);

public sealed record TrendBucket(DateTimeOffset Start, string Label);

/// <summary>The figures of sessions started in each bucket (same order as <see cref="TeamReport.Buckets"/>).</summary>
public sealed record TrendSeries(string? Agent, string? Model, IReadOnlyList<YieldTotals> Points)
{
    public string Name => Agent is null ? "All setups" : Model is null ? Agent : Agent + " · " + Model;
}

/// <summary>A figure a trend chart can draw, read from <see cref="YieldTotals"/>.</summary>
public sealed record TrendMetric(string Key, string Name, bool IsShare, Func<YieldTotals, double?> Value)
{
    public static IReadOnlyList<TrendMetric> All { get; } =
    [
        new("still-good", "Still-good rate", true, t => t.StillGoodRate),
        new("revert", "Revert rate", true, t => t.RevertRate),
        new("fix", "Fix rate", true, t => t.FixRate),
        new("ci-first-pass", "CI first-pass rate", true, t => t.CiFirstPassRate),
        new("line-survival", "Lines kept after 30 days", true, t => t.LineSurvival30d),
        new("cost-per-merged-pr", "Cost per merged PR (USD)", false, t => t.CostPerMergedPr),
        new("held-up-per-100usd", "Held-up PRs per 100 USD", false, t => t.HeldUpPrsPer100Usd),
    ];

    public static TrendMetric? Find(string? key) => All.FirstOrDefault(m => string.Equals(m.Key, key?.Trim(), StringComparison.OrdinalIgnoreCase));
}
