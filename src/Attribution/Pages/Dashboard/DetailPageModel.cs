using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attribution.Pages.Dashboard;

/// <summary>
/// A detail page (<c>/commits/{sha}</c>, <c>/sessions/{id}</c>, <c>/prs/…</c>): its tables are drawn on the page and
/// offered as exports from the same <see cref="TableView"/>s: <c>?format=csv|json</c>, and <c>?table=</c> for one of them.
/// </summary>
public abstract class DetailPageModel : PageModel
{
    [FromQuery(Name = "format")]
    public string? Format { get; set; }

    [FromQuery(Name = "table")]
    public string? TableName { get; set; }

    /// <summary>The page's tables as its exports write them.</summary>
    public DetailExports Exports { get; private set; } = new("", []);

    /// <summary>The page at <paramref name="path"/> with these tables, or, when a format is asked for, the tables exported as <paramref name="name"/>.</summary>
    protected IActionResult PageOrExport(string path, IReadOnlyList<TableView> tables, string name)
    {
        Exports = new DetailExports(path, tables);
        return DetailExports.Format(Format) is { } format ? ListExport.Result(Exports.Tables, format, TableName, name) : Page();
    }
}
