using Attribution.Linking.Outcomes;
namespace Attribution.Stages;

/// <summary>One PR's stage attribution: recorded and derived entries, which one is shown, and the costs.</summary>
public sealed record PrStageReport(
    string? Repo,
    int Number,
    string? Title,
    string? Branch,
    string? CreatedBy,
    string Status,
    string Provider,
    string? State,
    DateTimeOffset? MergedAt,
    string? Url,
    IReadOnlyList<StageSection> Stages,
    CostFigure Cost,
    Counterfactual Counterfactual,
    DateTimeOffset? LastUpdated,
    Linking.Outcomes.PullRequestFigures? Outcome = null);

/// <summary>
/// One stage of a PR. <c>Shows</c> says what the report shows: <c>recorded</c> (a person said so; wins for
/// display), <c>derived</c> (from evidence), or <c>none</c>. Both kinds of entry are always listed.
/// </summary>
public sealed record StageSection(
    string Stage,
    string Shows,
    IReadOnlyList<string> Providers,
    IReadOnlyList<string> Sessions,
    IReadOnlyList<StageEntryView> Entries,
    CostFigure Cost,
    string? Note);

/// <summary>A recorded or derived entry of a stage.</summary>
public sealed record StageEntryView(
    string Origin,
    string Provider,
    string? SessionId,
    double? Confidence,
    double? CostUsd,
    bool Shown,
    IReadOnlyDictionary<string, object?>? Evidence);

/// <summary>A provider's share across PRs.</summary>
public sealed record ProviderTotals(
    string Provider,
    int Prs,
    int ReviewPrs,
    int ImplementationPrs,
    int IntegrationPrs,
    CostFigure Cost,
    int MergedPrs,
    double? MergeRate,
    int StillGoodEligible,
    double? StillGoodRate);

/// <summary>The report over many PRs.</summary>
public sealed record PrStageOverview(IReadOnlyList<PrStageReport> PullRequests, IReadOnlyList<ProviderTotals> Providers, int StillGoodAfterDays);
