namespace Attribution.Pages.Dashboard;

/// <summary>A page's URL from its current query values with some changed (a null value removes one; empty values are left out).</summary>
public static class QueryLink
{
    public static string Build(string path, IEnumerable<(string Key, string? Value)> current, IEnumerable<(string Key, string? Value)> changes)
    {
        var values = current.ToList();
        foreach (var (key, value) in changes)
        {
            values.RemoveAll(v => v.Key == key);
            values.Add((key, value));
        }

        var query = string.Join("&", values
            .Where(v => !string.IsNullOrEmpty(v.Value))
            .Select(v => Uri.EscapeDataString(v.Key) + "=" + Uri.EscapeDataString(v.Value!)));
        return path + (query.Length == 0 ? "" : "?" + query);
    }
}
