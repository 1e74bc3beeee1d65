using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace Attribution.Pages.Dashboard;

/// <summary>A page's table as a CSV or JSON download (<c>?format=csv|json</c>), same filters, every matching row.</summary>
public static class ListExport
{
    public static IActionResult Result(TableView table, string format, string name)
    {
        ArgumentNullException.ThrowIfNull(table);
        return format == "csv"
            ? new FileContentResult(Encoding.UTF8.GetBytes(table.ToCsv()), "text/csv; charset=utf-8") { FileDownloadName = name + ".csv" }
            : new FileContentResult(Encoding.UTF8.GetBytes(table.ToJson()), "application/json; charset=utf-8") { FileDownloadName = name + ".json" };
    }

    /// <summary>
    /// A page holding several tables: <c>?table=ID</c> downloads that one (CSV or JSON); without it JSON holds every table
    /// (an object keyed by table id), and CSV, which holds one table, answers 400 naming the tables.
    /// </summary>
    public static IActionResult Result(IReadOnlyList<TableView> tables, string format, string? table, string name)
    {
        ArgumentNullException.ThrowIfNull(tables);
        if (!string.IsNullOrWhiteSpace(table))
        {
            var one = tables.FirstOrDefault(t => string.Equals(t.Id, table.Trim(), StringComparison.OrdinalIgnoreCase));
            return one is null
                ? new BadRequestObjectResult($"This page has no table \"{table.Trim()}\". Use table= one of: {string.Join(", ", tables.Select(t => t.Id))}.")
                : Result(one, format, name + "-" + one.Id);
        }

        if (format == "json")
        {
            return new FileContentResult(Encoding.UTF8.GetBytes(TableView.ToJson(tables)), "application/json; charset=utf-8") { FileDownloadName = name + ".json" };
        }

        return tables.Count == 1
            ? Result(tables[0], format, name)
            : new BadRequestObjectResult($"A CSV file holds one table. Add table= one of: {string.Join(", ", tables.Select(t => t.Id))}.");
    }
}
