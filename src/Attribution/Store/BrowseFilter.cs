namespace Attribution.Store;

/// <summary>
/// Filters of the dashboard's list pages (<see cref="BrowseStore"/>): null = no filter. <see cref="Author"/> is a git
/// author name or email; <see cref="Outcome"/> depends on the list (sessions: linked, unlinked, merged; commits: linked,
/// unlinked, reverted; PRs: open, merged, closed, reverted). <see cref="MinConfidence"/> is the floor for a link to count.
/// </summary>
public sealed record BrowseFilter
{
    public string? Repo { get; init; }
    public string? Agent { get; init; }
    public string? Model { get; init; }
    public string? Author { get; init; }
    public string? Branch { get; init; }
    public DateTimeOffset? Since { get; init; }
    public string? Outcome { get; init; }
    public double MinConfidence { get; init; } = 0.5;
    public int Offset { get; init; }
    public int Limit { get; init; } = 50;
}
