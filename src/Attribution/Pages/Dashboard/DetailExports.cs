namespace Attribution.Pages.Dashboard;

/// <summary>The export links of a detail page: every table as JSON, and each non-empty table as CSV (<see cref="DetailTables"/>).</summary>
public sealed record DetailExports(string Path, IReadOnlyList<TableView> Tables)
{
    /// <summary>The export a page's <c>format</c> query value asks for (<c>csv</c> or <c>json</c>), null for the page itself.</summary>
    public static string? Format(string? format) => format?.Trim().ToLowerInvariant() is "csv" or "json" ? format.Trim().ToLowerInvariant() : null;

    public string Link(string format, string? table) =>
        Path + (Path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "format=" + format + (table is null ? "" : "&table=" + Uri.EscapeDataString(table));
}
