using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attribution.Pages.Dashboard;

/// <summary>
/// A list page (<c>/sessions</c>, <c>/commits</c>, <c>/prs</c>): the query string read once, one page of rows drawn as a
/// table or every matching row exported (<c>?format=csv|json</c>), and the filters offered beside the table. A page
/// says which rows it lists and how they are drawn.
/// </summary>
/// <param name="path">The page's path, which the filter links keep.</param>
/// <param name="exportName">The file name of an export, without its extension.</param>
/// <param name="outcomes">The outcome filters this list understands.</param>
/// <param name="facets">The repositories, agents and models the filters offer.</param>
public abstract class ListPageModel(
    string path, string exportName, IReadOnlyList<string> outcomes, Func<CancellationToken, Task<ILookup<string, string>>> facets, TimeProvider time) : PageModel
{
    public TableView Table { get; private set; } = new(path.TrimStart('/'), []);

    public ListFilterView Filters { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var query = ListQuery.From(Request.Query, [.. outcomes], time.GetUtcNow());
        (Table, var more) = await ListAsync(query, cancellationToken);
        if (query.Format is { } format)
        {
            return ListExport.Result(Table, format, exportName);
        }

        var offered = await facets(cancellationToken);
        Filters = new ListFilterView(path, query, outcomes, offered["repo"], offered["agent"], offered["model"], more);
        return Page();
    }

    /// <summary>The rows the query selects, drawn (see <see cref="Drawn"/>), and whether a next page exists.</summary>
    protected abstract Task<(TableView Table, bool More)> ListAsync(ListQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// What a list read (one row more than a page, or every row for an export) as the page shows it: a page of rows, or
    /// all of them exported; more when the read found a row past the page.
    /// </summary>
    protected static (TableView Table, bool More) Drawn<TRow>(IReadOnlyList<TRow> rows, ListQuery query, Func<IEnumerable<TRow>, TableView> draw)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(draw);
        return (draw(query.Format is null ? rows.Take(ListQuery.PageSize) : rows), rows.Count > ListQuery.PageSize);
    }
}
