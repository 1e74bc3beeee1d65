namespace Attribution.Pages.Dashboard;

/// <summary>One thing the search box found: what kind, how it is named, where it lives.</summary>
public sealed record SearchHit(string Kind, string Label, string Href, string? Detail = null);
