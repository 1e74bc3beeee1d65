namespace Attribution.Pages.Dashboard;

/// <summary>What the filter form and pager of a list page need.</summary>
public sealed record ListFilterView(
    string Path,
    ListQuery Query,
    IReadOnlyList<string> Outcomes,
    IEnumerable<string> Repos,
    IEnumerable<string> Agents,
    IEnumerable<string> Models,
    bool HasNext);
