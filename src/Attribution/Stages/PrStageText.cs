using Attribution.Linking.Outcomes;
using System.Globalization;
using System.Text;

namespace Attribution.Stages;

/// <summary>The plain-text report of <c>attribution pr-attribution --view</c> and <c>--view-all</c>.</summary>
public static class PrStageText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(PrStageReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant, $"PR #{report.Number}: {report.Title ?? "(untitled)"}");
        if (report.Repo is not null)
        {
            text.AppendLine(Invariant, $"Repository: {report.Repo}");
        }

        text.AppendLine(Invariant, $"Branch: {report.Branch ?? "unknown"}");
        text.AppendLine(Invariant, $"Created by: {report.CreatedBy ?? "unknown"}");
        text.AppendLine(Invariant, $"Status: {report.Status}");
        if (report.State is not null)
        {
            text.AppendLine(Invariant, $"State: {report.State}{(report.MergedAt is { } merged ? " " + merged.ToString("yyyy-MM-dd", Invariant) : "")}");
        }

        if (report.Outcome is { } outcome)
        {
            text.AppendLine(Invariant, $"Outcome: {Linking.Outcomes.OutcomePhrases.PullRequest(outcome)}");
        }

        text.AppendLine();
        text.AppendLine("Provider Attribution:");
        foreach (var stage in report.Stages)
        {
            text.AppendLine(Invariant, $"  {Title(stage.Stage)}: {Shown(stage)}");
            foreach (var hidden in stage.Entries.Where(e => !e.Shown))
            {
                text.AppendLine(Invariant, $"    also derived: {Entry(hidden)}");
            }

            if (stage.Note is not null)
            {
                text.AppendLine(Invariant, $"    note: {stage.Note}");
            }
        }

        text.AppendLine("Cost:");
        foreach (var stage in report.Stages.Where(s => s.Shows != "none"))
        {
            text.AppendLine(Invariant, $"  {Title(stage.Stage)}: {Money(stage.Cost)}");
        }

        text.AppendLine(Invariant, $"  Total: {Money(report.Cost)}");
        var cf = report.Counterfactual;
        if (cf.Usd is { } all)
        {
            // A saving that rounds to nothing (every session already on that model) is said plainly, never "$0.00 (-0%)".
            var saving = cf.SavingUsd is { } usd && Math.Abs(usd) >= 0.005m
                ? $"saving ${cf.SavingUsd:0.00}{(cf.SavingPercent is { } pct ? $" ({pct:0.#}%)" : "")}"
                : "no saving (every session already ran on that model)";
            text.AppendLine(Invariant, $"  All on {cf.Provider} ({cf.Model}): ${all:0.00} — {saving}{(cf.Partial ? " (sessions without known usage left out)" : "")}");
        }

        text.AppendLine(Invariant, $"Last updated: {(report.LastUpdated is { } at ? at.ToString("yyyy-MM-dd'T'HH:mm:ss", Invariant) : "never recorded (derived only)")}");
        return text.ToString();
    }

    public static string Render(PrStageOverview overview)
    {
        var text = new StringBuilder();
        text.AppendLine("PR Provider Attribution Report");
        text.AppendLine();
        if (overview.PullRequests.Count == 0)
        {
            text.AppendLine("No PR has stage attribution yet: record one with `attribution pr-attribution --pr N --review-provider P`, or link sessions with `attribution attribute backfill`.");
            return text.ToString();
        }

        foreach (var report in overview.PullRequests)
        {
            text.AppendLine(Invariant, $"PR #{report.Number}: {report.Title ?? "(untitled)"}{(report.Repo is null ? "" : $" [{report.Repo}]")}");
            text.AppendLine(Invariant, $"  Branch: {report.Branch ?? "unknown"}");
            foreach (var stage in report.Stages.Where(s => s.Shows != "none"))
            {
                text.AppendLine(Invariant, $"  {Title(stage.Stage)}: {Shown(stage)}");
            }

            text.AppendLine(Invariant, $"  Status: {report.Status}{(report.State is null ? "" : $" ({report.State})")}; cost {Money(report.Cost)}");
            text.AppendLine();
        }

        text.AppendLine("By provider:");
        text.AppendLine("  provider      PRs  review  impl  integ  cost           merged  still good");
        foreach (var p in overview.Providers)
        {
            text.AppendLine(Invariant, $"  {p.Provider,-12} {p.Prs,4} {p.ReviewPrs,7} {p.ImplementationPrs,5} {p.IntegrationPrs,6}  {Money(p.Cost),-14} {Rate(p.MergeRate),6}  {Rate(p.StillGoodRate),6}");
        }

        text.AppendLine(Invariant, $"(still good = merged PRs with no fix or revert in {overview.StillGoodAfterDays} days, among those old enough)");
        return text.ToString();
    }

    private static string Title(string stage) => stage switch
    {
        "review" => "Review",
        "implementation" => "Implementation",
        _ => "Integration",
    };

    private static string Shown(StageSection stage)
    {
        var shown = stage.Entries.Where(e => e.Shown).ToList();
        return shown.Count == 0 ? "none" : string.Join(", ", shown.Select(Entry));
    }

    private static string Entry(StageEntryView entry)
    {
        var detail = new List<string>();
        if (entry.SessionId is not null)
        {
            detail.Add(entry.SessionId);
        }

        if (entry.Origin == "derived")
        {
            detail.Add(string.Create(Invariant, $"derived {entry.Confidence:0.00}"));
        }

        return detail.Count == 0 ? entry.Provider : $"{entry.Provider} ({string.Join(", ", detail)})";
    }

    private static string Money(CostFigure cost) => cost.Text();

    private static string Rate(double? rate) => rate is { } r ? string.Create(Invariant, $"{r * 100:0}%") : "–";
}
