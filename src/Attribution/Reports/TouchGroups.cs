using Attribution.Linking.Outcomes;
using Attribution.Store;

namespace Attribution.Reports;

/// <summary>Touch rows (one per touching commit and target) grouped into one row per touching commit, as the pages list them.</summary>
public static class TouchGroups
{
    /// <summary>
    /// Groups by touching commit, oldest first. A target is below the threshold when the row carries the link's
    /// confidence (a session's page) and it is under <paramref name="minConfidence"/>.
    /// </summary>
    public static IReadOnlyList<TouchGroup> Of(IEnumerable<TouchRow> rows, double minConfidence = Verdicts.DefaultMinConfidence) =>
        rows.GroupBy(r => (r.RepoSlug, Sha: r.TouchSha.ToLowerInvariant()))
            .Select(g =>
            {
                var first = g.First();
                var targets = g.GroupBy(r => (r.TargetKind, r.TargetKey))
                    .Select(t => new TouchTarget(t.Key.TargetKind, t.Key.TargetKey, t.Max(r => r.LinesChanged),
                        t.All(r => r.LinkConfidence is { } c && !Verdicts.Counts(c, minConfidence))))
                    .ToList();
                var files = g.SelectMany(r => FilesOf(r.FilesJson)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                return new TouchGroup(first.RepoSlug, first.TouchSha, g.Select(r => r.Subject).FirstOrDefault(s => s is not null), g.Min(r => r.TouchedTs),
                    Verdicts.Gravest(g.Select(r => r.Classification)), targets, files);
            })
            .OrderBy(g => g.TouchedTs)
            .ToList();

    private static IEnumerable<string> FilesOf(string? json) => Common.StoredJson.StringArray(json);
}
