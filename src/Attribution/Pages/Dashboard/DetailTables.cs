using System.Globalization;
using Attribution.Reports;

namespace Attribution.Pages.Dashboard;

/// <summary>
/// The tables of the detail pages (<c>/sessions/{id}</c>, <c>/commits/{sha}</c>, <c>/prs/…</c>) as exports: the same
/// columns and cell texts the page's tables show (glyphs aside), every row. <c>?format=csv&amp;table=ID</c> downloads one,
/// <c>?format=json</c> every table of the page (<see cref="ListExport"/>).
/// </summary>
public static class DetailTables
{
    /// <summary>A CI run as its table shows it (the pages map their rows to this).</summary>
    public sealed record CiRun(string Status, string? Workflow, string Provider, string? CommitSha, DateTimeOffset? CompletedTs, string RunId, string? Url);

    public static TableView CiRuns(IEnumerable<CiRun> runs)
    {
        var table = new TableView("ci-runs", ["Status", "Workflow", "Provider", "Commit", "Completed", "Run", "Url"]);
        foreach (var r in runs)
        {
            table.Add(r.Provider + "/" + r.RunId, r.Status, r.Workflow ?? Ui.Dash, r.Provider, r.CommitSha ?? Ui.Dash, Ui.When(r.CompletedTs), r.RunId,
                Ui.SafeExternalUrl(r.Url) ?? Ui.Dash);
        }

        return table;
    }

    public static TableView Touches(IEnumerable<TouchGroup> touches)
    {
        var table = new TableView("touches", ["Kind", "Touched by", "Subject", "When", "Of", "Lines changed", "Files", "Counted"]).Numeric(5);
        foreach (var t in touches)
        {
            table.Add(t.TouchSha, t.Classification, t.TouchSha, t.Subject ?? Ui.Dash, Ui.When(t.TouchedTs),
                string.Join(" ", t.Targets.Select(x => (x.Kind == "commit" ? x.Key : x.Kind + " " + x.Key) + (x.LinesChanged is { } n ? $" ({n} lines)" : ""))),
                t.LinesChanged?.ToString(CultureInfo.InvariantCulture) ?? Ui.Dash, string.Join(" ", t.Files),
                t.BelowThreshold ? "no: below threshold" : "yes");
        }

        return table;
    }

    public static string PrKey(string provider, string repo, long number) => $"{provider}/{repo}#{number}";

    public static string Count(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? Ui.Dash;
}
