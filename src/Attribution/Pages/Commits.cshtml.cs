using Attribution.Pages.Dashboard;
using Attribution.Store;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attribution.Pages;

/// <summary><c>/commits</c>: every recorded commit, newest first, with its strongest session link; filtered, paged, exportable.</summary>
public sealed class CommitsModel(BrowseStore store, TimeProvider time) : PageModel
{
    public static IReadOnlyList<string> Outcomes { get; } = ["linked", "unlinked", "reverted"];

    public TableView Table { get; private set; } = new("commits", []);

    public ListFilterView Filters { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var query = ListQuery.From(Request.Query, [.. Outcomes], time.GetUtcNow());
        var rows = await store.ListCommitsAsync(query.ToFilter(), cancellationToken);
        Table = Build(query.Format is null ? rows.Take(ListQuery.PageSize) : rows);
        if (query.Format is { } format)
        {
            return ListExport.Result(Table, format, "commits");
        }

        var facets = await store.GetFacetsAsync(cancellationToken);
        Filters = new ListFilterView("/commits", query, Outcomes, facets["repo"], facets["agent"], facets["model"], rows.Count > ListQuery.PageSize);
        return Page();
    }

    public static TableView Build(IEnumerable<BrowseCommitRow> rows)
    {
        var table = new TableView("commit-list", ["Committed", "Commit", "Subject", "Author", "Repository", "Agent", "Model", "Sessions", "Link", "Confidence"]).Numeric(7, 9);
        foreach (var c in rows)
        {
            table.Add(c.RepoSlug + "@" + c.Sha,
                Ui.When(c.CommitterTs),
                new Cell(Ui.Short(c.Sha), Ui.CommitPath(c.Sha, c.RepoSlug), Code: true, Hint: c.Sha),
                new Cell(c.Subject ?? Ui.Dash, Css: "title-cell"),
                c.AuthorName ?? c.AuthorEmail ?? Ui.Dash,
                c.RepoSlug,
                c.Agent ?? Ui.Dash,
                c.Model ?? Ui.Dash,
                Ui.Number(c.Sessions),
                c.LinkType ?? Ui.Dash,
                c.BestConfidence is { } conf ? new Cell(Ui.Confidence(conf), Badge: "conf " + Ui.ConfidenceClass(conf)) : Ui.Dash);
        }

        return table;
    }
}
