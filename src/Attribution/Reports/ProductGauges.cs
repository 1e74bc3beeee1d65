using Attribution.Common;
using Attribution.Linking.Outcomes;
using Attribution.Store;
using Attribution.Yield;
using Prometheus;

namespace Attribution.Reports;

/// <summary>
/// Product gauges on <c>/metrics</c> for a Grafana board (<c>docs/grafana/attribution.json</c>): sessions, links by
/// type, still-good rate, cost and cost per merged PR, per agent and model, over all history. Refreshed after each
/// attribution pass (and once at start), from the same figures as <c>/api/yield</c>, never per scrape.
/// </summary>
public sealed partial class ProductGauges(YieldService yields, LinkStore links, PassSignal passes, ILogger<ProductGauges> logger) : BackgroundService
{
    private static readonly string[] AgentModel = ["agent", "model"];

    public static readonly Gauge Sessions = PerAgentAndModel(
        "attribution_sessions", "Agent sessions recorded, per agent and model.");

    public static readonly Gauge Links = Metrics.CreateGauge(
        "attribution_commit_links", "Commit links at or above the default confidence (0.5), per link type.", new GaugeConfiguration { LabelNames = ["link_type"] });

    public static readonly Gauge StillGoodRate = PerAgentAndModel(
        "attribution_still_good_ratio", "Share of sessions old enough to judge whose work is still good after 14 days, per agent and model.");

    public static readonly Gauge MergedPrs = PerAgentAndModel(
        "attribution_merged_prs", "Distinct merged PRs holding the sessions' work, per agent and model.");

    public static readonly Gauge CostUsd = PerAgentAndModel(
        "attribution_cost_usd", "Cost of the sessions in US dollars, per agent and model.");

    public static readonly Gauge CostPerMergedPr = PerAgentAndModel(
        "attribution_cost_per_merged_pr_usd", "Cost per merged PR in US dollars, per agent and model.");

    public static readonly Gauge HeldUpPrs = PerAgentAndModel(
        "attribution_held_up_prs", "Merged PRs (not reverted) of sessions whose work is still good after 14 days, per agent and model.");

    public static readonly Gauge FixRate = PerAgentAndModel(
        "attribution_fix_ratio", "Share of sessions with work whose work a later commit fixed, per agent and model.");

    public static readonly Gauge CiFirstPassRate = PerAgentAndModel(
        "attribution_ci_first_pass_ratio", "Share of linked commits whose CI passed on the first try, per agent and model.");

    private static Gauge PerAgentAndModel(string name, string help) =>
        Metrics.CreateGauge(name, help, new GaugeConfiguration { LabelNames = AgentModel });

    /// <summary>Reads the figures and sets every gauge; series of agents or link types no longer present are removed.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var report = await yields.GetAsync(new YieldQuery { Since = Common.Since.All, PageSize = 1 }, cancellationToken);
        var set = new Dictionary<Gauge, HashSet<string[]>>();
        void Set(Gauge gauge, string[] labels, double? value)
        {
            if (value is { } v)
            {
                gauge.WithLabels(labels).Set(v);
                (set.TryGetValue(gauge, out var s) ? s : set[gauge] = new(LabelsComparer)).Add(labels);
            }
        }

        foreach (var group in report.Groups)
        {
            string[] labels = [group.Agent, group.Model ?? ""];
            Set(Sessions, labels, group.Totals.Sessions);
            Set(MergedPrs, labels, group.Totals.PrsMerged);
            Set(CostUsd, labels, group.Totals.CostUsd);
            Set(HeldUpPrs, labels, group.Totals.HeldUpPrs);
            Set(FixRate, labels, group.Totals.FixRate);
            Set(CiFirstPassRate, labels, group.Totals.CiFirstPassRate);
            Set(StillGoodRate, labels, group.Totals.StillGoodRate);
            Set(CostPerMergedPr, labels, group.Totals.CostPerMergedPr);
        }

        foreach (var (type, count) in await links.CountByTypeAsync(Verdicts.DefaultMinConfidence, cancellationToken))
        {
            Set(Links, [type], count);
        }

        // New values are set before stale series go, so a scrape during a refresh never misses a series. Only series
        // this instance published are removed: several hosts in one process (tests) each keep their own.
        lock (_published)
        {
            foreach (var gauge in new[] { Sessions, StillGoodRate, MergedPrs, CostUsd, CostPerMergedPr, HeldUpPrs, FixRate, CiFirstPassRate, Links })
            {
                var now = set.GetValueOrDefault(gauge) ?? new HashSet<string[]>(LabelsComparer);
                foreach (var stale in (_published.GetValueOrDefault(gauge) ?? []).Where(l => !now.Contains(l)))
                {
                    gauge.RemoveLabelled(stale);
                }

                _published[gauge] = now;
            }
        }
    }

    private readonly Dictionary<Gauge, HashSet<string[]>> _published = [];

    private static readonly IEqualityComparer<string[]> LabelsComparer = EqualityComparer<string[]>.Create(
        (a, b) => a is not null && b is not null && a.AsSpan().SequenceEqual(b),
        labels => labels.Aggregate(17, (hash, label) => HashCode.Combine(hash, StringComparer.Ordinal.GetHashCode(label))));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var first = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!first)
                {
                    await passes.WaitAsync(stoppingToken);
                }

                first = false;
                await RefreshAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The gauges must survive a failed read; the next pass tries again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogRefreshFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 4230, Level = LogLevel.Warning, Message = "Product gauges not refreshed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
