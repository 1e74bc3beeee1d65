namespace Attribution.Reports;

/// <summary>
/// A later commit that touched some of the work, listed once however many of the work's commits it touched: its
/// gravest classification (revert, fix, other), the targets with the lines it changed in each, and whether it touched
/// only work linked below the threshold (shown, marked, never counted).
/// </summary>
public sealed record TouchGroup(
    string RepoSlug,
    string TouchSha,
    string? Subject,
    DateTimeOffset TouchedTs,
    string Classification,
    IReadOnlyList<TouchTarget> Targets,
    IReadOnlyList<string> Files)
{
    /// <summary>True when every target is work linked below the threshold.</summary>
    public bool BelowThreshold => Targets.Count > 0 && Targets.All(t => t.BelowThreshold);

    /// <summary>Lines of the work the commit changed, summed over the targets that were measured; null when none was.</summary>
    public int? LinesChanged => Targets.Any(t => t.LinesChanged is not null) ? Targets.Sum(t => t.LinesChanged ?? 0) : null;
}
