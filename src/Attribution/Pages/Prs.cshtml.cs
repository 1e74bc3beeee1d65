using Attribution.Pages.Dashboard;
using Attribution.Store;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attribution.Pages;

/// <summary><c>/prs</c>: pull and merge requests, newest first, with how many sessions are linked; filtered, paged, exportable.</summary>
public sealed class PrsModel(BrowseStore store, TimeProvider time) : PageModel
{
    public static IReadOnlyList<string> Outcomes { get; } = ["open", "merged", "closed", "reverted"];

    public TableView Table { get; private set; } = new("prs", []);

    public ListFilterView Filters { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var query = ListQuery.From(Request.Query, [.. Outcomes], time.GetUtcNow());
        var rows = await store.ListPrsAsync(query.ToFilter(), cancellationToken);
        Table = Build(query.Format is null ? rows.Take(ListQuery.PageSize) : rows);
        if (query.Format is { } format)
        {
            return ListExport.Result(Table, format, "pull-requests");
        }

        var facets = await store.GetFacetsAsync(cancellationToken);
        Filters = new ListFilterView("/prs", query, Outcomes, facets["repo"], facets["agent"], facets["model"], rows.Count > ListQuery.PageSize);
        return Page();
    }

    public static TableView Build(IEnumerable<BrowsePrRow> rows)
    {
        var table = new TableView("pr-list", ["Opened", "PR", "Title", "Repository", "State", "Author", "Branch", "Merged", "Sessions"]).Numeric(8);
        foreach (var p in rows)
        {
            table.Add($"{p.Provider}:{p.RepoSlug}#{p.PrNumber}",
                Ui.When(p.CreatedAt),
                new Cell("#" + p.PrNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), Ui.PrPath(p.Provider, p.RepoSlug, p.PrNumber)),
                new Cell(p.Title ?? Ui.Dash, Css: "title-cell"),
                p.RepoSlug,
                Ui.PrState(p.State, p.RevertedAt),
                p.Author ?? Ui.Dash,
                p.HeadRef ?? Ui.Dash,
                Ui.When(p.MergedAt),
                Ui.Number(SessionCount(p.LinkedSessionIds)));
        }

        return table;
    }

    private static long SessionCount(string? json) => Common.StoredJson.StringArray(json).Count;
}
