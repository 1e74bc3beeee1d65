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
}
