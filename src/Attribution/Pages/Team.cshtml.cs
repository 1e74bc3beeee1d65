using Attribution.Common;
using Attribution.Pages.Dashboard;
using Attribution.Yield;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attribution.Pages;

/// <summary>
/// <c>/team</c>: which agent/model setup gives the most work that holds up per dollar, per repository and per developer,
/// and how each figure moves over time. <c>?repo=</c> makes it a repository's view, <c>?developer=</c> a developer's.
/// Every table exports (<c>?format=csv|json&amp;table=</c>) from the same <see cref="TableView"/> the page draws.
/// </summary>
public sealed class TeamModel(TeamService service, YieldService yields, TimeProvider time) : PageModel
{

    [FromQuery(Name = "period")] public string? Period { get; set; }
    [FromQuery(Name = "repo")] public string? Repo { get; set; }
    [FromQuery(Name = "developer")] public string? Developer { get; set; }
    [FromQuery(Name = "agent")] public string? Agent { get; set; }
    [FromQuery(Name = "model")] public string? ModelName { get; set; }
    [FromQuery(Name = "bucket")] public string? Bucket { get; set; }
    [FromQuery(Name = "metric")] public string? Metric { get; set; }
    [FromQuery(Name = "format")] public string? Format { get; set; }
    [FromQuery(Name = "table")] public string? TableName { get; set; }

    public static IReadOnlyList<string> Periods { get; } = ["30d", "90d", "365d", "all"];

    public TeamReport? Report { get; private set; }

    public TrendChart? Chart { get; private set; }

    public TrendMetric ChartMetric { get; private set; } = TrendMetric.All[0];

    public YieldFilterOptions FilterOptions { get; private set; } = new([], [], []);

    public IReadOnlyList<string> Notices { get; private set; } = [];

    public bool IsEmptyDatabase { get; private set; }

    public TableView Setups { get; private set; } = new("setups", []);
    public TableView Repos { get; private set; } = new("repos", []);
    public TableView Developers { get; private set; } = new("developers", []);
    public TableView Trend { get; private set; } = new("trend", []);

    public string Title => Developer is not null && Report?.Developers.FirstOrDefault() is { Key: not null } d && Report.Developers.Count == 1
        ? "Developer " + (d.Name ?? d.Email ?? d.Key)
        : Repo is not null ? "Repository " + Repo
        : Developer is not null ? "Developer " + Developer
        : "Team";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var export = DetailExports.Format(Format);
        if (export is null && !await yields.HasAnyDataAsync(cancellationToken))
        {
            IsEmptyDatabase = true;
            return Page();
        }

        var notices = new List<string>();
        var period = TeamService.DefaultPeriod;
        if (!string.IsNullOrWhiteSpace(Period))
        {
            if (Since.TryParse(Period, time.GetUtcNow(), out var parsed, out var error))
            {
                period = parsed.Name;
            }
            else
            {
                notices.Add($"“{Period}” is not a period: {error} Showing the last 90 days.");
            }
        }

        var bucket = Bucket?.Trim().ToLowerInvariant();
        if (!string.IsNullOrEmpty(bucket) && !TeamCalculator.BucketSizes.Contains(bucket))
        {
            notices.Add($"“{Bucket}” is not a bucket size (week or month); choosing one from the period.");
            bucket = null;
        }

        ChartMetric = TrendMetric.Find(Metric) ?? TrendMetric.All[0];
        if (!string.IsNullOrWhiteSpace(Metric) && TrendMetric.Find(Metric) is null)
        {
            notices.Add($"“{Metric}” is not a trend figure; showing {ChartMetric.Name}.");
        }

        Period = period;
        Bucket = string.IsNullOrEmpty(bucket) ? null : bucket;
        Metric = ChartMetric.Key;
        Repo = Blank(Repo);
        Developer = Blank(Developer);
        Agent = Blank(Agent);
        ModelName = Blank(ModelName);
        Report = await service.GetAsync(new TeamQuery
        {
            Since = period, Repo = Repo, Developer = Developer, Agent = Agent, Model = ModelName, Bucket = Bucket,
        }, cancellationToken);
        Repo = Report.Repo;
        BuildTables(Report);
        if (export is not null)
        {
            return ListExport.Result([Setups, Repos, Developers, Trend], export, TableName, "team");
        }

        Chart = TrendChart.Build(Report.Buckets, Report.Trends, ChartMetric);
        FilterOptions = await yields.GetFilterOptionsAsync(cancellationToken);
        Notices = notices;
        return Page();
    }

    private static readonly string[] FigureColumns =
        ["Sessions", "Cost", "Merged PRs", "Held-up PRs", "Held-up PRs per $100", "Still good", "Revert rate", "Fix rate", "CI first pass", "Lines kept 30 d", "Cost per merged PR"];

    private void BuildTables(TeamReport report)
    {
        var figures = Enumerable.Range(0, FigureColumns.Length).ToArray();
        Setups = new TableView("setups", ["Agent", "Model", .. FigureColumns]).Numeric(figures.Select(i => i + 2).ToArray());
        foreach (var g in report.Setups)
        {
            Setups.Add(g.Agent + "/" + g.Model, [new Cell(g.Agent, Link(("agent", g.Agent), ("model", g.Model))), g.Model ?? Ui.Dash, .. Figures(g.Totals)]);
        }

        Repos = new TableView("repos", ["Repository", .. FigureColumns]).Numeric(figures.Select(i => i + 1).ToArray());
        foreach (var r in report.Repos)
        {
            Repos.Add(r.Repo, [r.Repo is null ? "no repository" : new Cell(r.Repo, Link(("repo", r.Repo), ("developer", null))), .. Figures(r.Totals)]);
        }

        Developers = new TableView("developers", ["Developer", "Email", .. FigureColumns]).Numeric(figures.Select(i => i + 2).ToArray());
        foreach (var d in report.Developers)
        {
            Developers.Add(d.Key, [d.Key is null ? "no linked commit" : new Cell(d.Name ?? d.Key, Link(("developer", d.Key))), d.Email ?? Ui.Dash, .. Figures(d.Totals)]);
        }

        Trend = new TableView("trend", ["Bucket", "Setup", "Sessions", .. TrendMetric.All.Select(m => m.Name)]).Numeric(Enumerable.Range(2, TrendMetric.All.Count + 1).ToArray());
        for (var i = 0; i < report.Buckets.Count; i++)
        {
            foreach (var s in report.Trends)
            {
                var p = s.Points[i];
                if (p.Sessions == 0)
                {
                    continue;
                }

                Trend.Add(report.Buckets[i].Label + "/" + s.Name,
                    [report.Buckets[i].Label, s.Name, Ui.Number(p.Sessions), .. TrendMetric.All.Select(m => (Cell)(m.Value(p) is { } v ? TrendChart.Format(m, v) : Ui.Dash))]);
            }
        }
    }

    private static Cell[] Figures(YieldTotals t) =>
    [
        Ui.Number(t.Sessions), Ui.Money(t.CostUsd), Ui.Number(t.PrsMerged), Ui.Number(t.HeldUpPrs),
        t.HeldUpPrsPer100Usd is { } h ? h.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) : Ui.Dash,
        Ui.Percent(t.StillGoodRate), Ui.Percent(t.RevertRate), Ui.Percent(t.FixRate), Ui.Percent(t.CiFirstPassRate),
        Ui.Percent(t.LineSurvival30d), Ui.Money(t.CostPerMergedPr),
    ];

    /// <summary>This view's URL with some parameters changed (null removes one).</summary>
    public string Link(params (string Key, string? Value)[] changes) => QueryLink.Build("/team",
        [("period", Period), ("repo", Repo), ("developer", Developer), ("agent", Agent), ("model", ModelName), ("bucket", Bucket),
         ("metric", Metric == TrendMetric.All[0].Key ? null : Metric)], changes);

    /// <summary>The export link of one table (or, with <paramref name="table"/> null, of every table as JSON).</summary>
    public string ExportLink(string format, string? table) => Link(("format", format), ("table", table));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
