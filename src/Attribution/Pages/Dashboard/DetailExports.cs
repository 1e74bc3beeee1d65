namespace Attribution.Pages.Dashboard;

/// <summary>The export links of a detail page: every table as JSON, and each non-empty table as CSV (<see cref="DetailTables"/>).</summary>
public sealed record DetailExports(string Path, IReadOnlyList<TableView> Tables)
{
    /// <summary>The page's own <c>format</c> and <c>table</c> query values, when it is asked for an export.</summary>
    public static string? Format(string? format) => format?.Trim().ToLowerInvariant() is "csv" or "json" ? format.Trim().ToLowerInvariant() : null;

    public string Link(string format, string? table) =>
        Path + (Path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "format=" + format + (table is null ? "" : "&table=" + Uri.EscapeDataString(table));
}
