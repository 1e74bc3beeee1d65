using LibGit2Sharp;

namespace Attribution.Git;

/// <summary>
/// Which paths differ between two trees, found by walking only the subtrees whose ids differ. libgit2's
/// tree-to-tree diff visits every entry of both trees (3,000 files means 6,000 entries per commit, most of the
/// scan's time); restricting that same diff to these paths gives the same deltas, renames and line counts,
/// because every changed path is in the list (extra, unchanged paths would only be skipped).
/// </summary>
internal static class ChangedPaths
{
    /// <summary>
    /// A differing directory whose new version has more direct entries than this is handed to libgit2 whole (as a
    /// directory path): enumerating entries through LibGit2Sharp costs ≈ 0.5 µs each, libgit2's own iteration
    /// ≈ 0.05 µs, so big flat directories are cheaper natively while small ones are worth opening to skip unchanged
    /// subtrees. Only the new side is counted: each count is a tree lookup, and the old side rarely differs much.
    /// </summary>
    public const int HandOffEntries = 64;

    // Paths are literal (no glob matching) and need not all exist on both sides.
    private static readonly ExplicitPathsOptions ExactPaths = new() { ShouldFailOnUnmatchedPath = false };

    /// <summary>
    /// The diff of <paramref name="newTree"/> against <paramref name="oldTree"/> (null: a root commit), restricted to
    /// the paths that differ when they can be found; the same entries as the whole-tree diff with these options.
    /// </summary>
    public static IEnumerable<PatchEntryChanges> Diff(Repository repo, Tree? oldTree, Tree newTree, CompareOptions options)
    {
        if (oldTree is null)
        {
            return repo.Diff.Compare<Patch>(null, newTree, options);
        }

        if (oldTree.Id == newTree.Id)
        {
            return [];
        }

        var paths = Find(oldTree, newTree);
        return paths is { Count: > 0 }
            ? repo.Diff.Compare<Patch>(oldTree, newTree, paths, ExactPaths, options)
            : repo.Diff.Compare<Patch>(oldTree, newTree, options);
    }

    /// <summary>
    /// Paths (files, or directories to be compared whole) that cover every difference between the trees; null when
    /// the trees hold something this walk does not vouch for (undecodable or duplicate names): diff them whole.
    /// </summary>
    public static List<string>? Find(Tree oldTree, Tree newTree)
    {
        var paths = new List<string>();
        return Walk(oldTree, newTree, string.Empty, paths) ? paths : null;
    }

    private static bool Walk(Tree oldTree, Tree newTree, string prefix, List<string> paths)
    {
        var old = new Dictionary<string, TreeEntry>(oldTree.Count, StringComparer.Ordinal);
        foreach (var entry in oldTree)
        {
            if (!Plain(entry.Name) || !old.TryAdd(entry.Name, entry))
            {
                return false;
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in newTree)
        {
            if (!Plain(entry.Name) || !seen.Add(entry.Name))
            {
                return false;
            }

            old.Remove(entry.Name, out var before);
            if (before is not null && before.Mode == entry.Mode && before.Target.Id == entry.Target.Id)
            {
                continue;
            }

            var path = prefix + entry.Name;
            var isTree = entry.TargetType == TreeEntryTargetType.Tree;
            var wasTree = before?.TargetType == TreeEntryTargetType.Tree;
            if (isTree && wasTree)
            {
                var oldSub = (Tree)before!.Target;
                var newSub = (Tree)entry.Target;
                if (newSub.Count > HandOffEntries)
                {
                    paths.Add(path);
                }
                else if (!Walk(oldSub, newSub, path + "/", paths))
                {
                    return false;
                }
            }
            else
            {
                // Added, removed or a file changed in place; a file↔directory swap is both names (one path covers both).
                paths.Add(path);
            }
        }

        // Whatever is left existed only in the old tree: deleted files or whole deleted directories.
        foreach (var name in old.Keys)
        {
            paths.Add(prefix + name);
        }

        return true;
    }

    // A name that did not decode cleanly would not round-trip to the same bytes as a path filter.
    private static bool Plain(string name) => !name.Contains('\uFFFD', StringComparison.Ordinal);
}
