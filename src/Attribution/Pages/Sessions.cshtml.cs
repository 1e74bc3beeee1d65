using Attribution.Pages.Dashboard;
using Attribution.Store;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attribution.Pages;

/// <summary><c>/sessions</c>: every session, newest first, filtered and paged; <c>?format=csv|json</c> exports the rows.</summary>
public sealed class SessionsModel(BrowseStore store, TimeProvider time) : PageModel
{
    public static IReadOnlyList<string> Outcomes { get; } = ["linked", "unlinked", "merged"];

    public TableView Table { get; private set; } = new("sessions", []);

    public ListFilterView Filters { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var query = ListQuery.From(Request.Query, [.. Outcomes], time.GetUtcNow());
        var rows = await store.ListSessionsAsync(query.ToFilter(), cancellationToken);
        Table = Build(query.Format is null ? rows.Take(ListQuery.PageSize) : rows);
        if (query.Format is { } format)
        {
            return ListExport.Result(Table, format, "sessions");
        }

        var facets = await store.GetFacetsAsync(cancellationToken);
        Filters = new ListFilterView("/sessions", query, Outcomes, facets["repo"], facets["agent"], facets["model"], rows.Count > ListQuery.PageSize);
        return Page();
    }

    public static TableView Build(IEnumerable<BrowseSessionRow> rows)
    {
        var table = new TableView("session-list", ["Started", "Session", "Id", "Agent", "Model", "Repository", "Branch", "Cost", "Commits", "Best link"]).Numeric(7, 8, 9);
        foreach (var s in rows)
        {
            table.Add(s.SessionId,
                Ui.When(s.StartedTs),
                new Cell(Ui.SessionLabel(s.Title, s.StartedTs), Ui.SessionPath(s.SessionId), "title-cell"),
                new Cell(Ui.ShortId(s.SessionId), Ui.SessionPath(s.SessionId), Code: true, Hint: s.SessionId),
                s.Agent,
                s.Model ?? Ui.Dash,
                s.RepoSlug ?? "no repository",
                s.GitBranch ?? Ui.Dash,
                Ui.Money(s.CostUsd),
                Ui.Number(s.Commits),
                s.BestConfidence is { } c ? new Cell(Ui.Confidence(c), Badge: "conf " + Ui.ConfidenceClass(c)) : Ui.Dash);
        }

        return table;
    }
}
