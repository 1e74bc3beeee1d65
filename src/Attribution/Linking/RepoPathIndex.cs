namespace Attribution.Linking;

/// <summary>
/// Maps a path a session wrote to a path of the repository, using the repository's own paths: an exact path
/// wins; a longer path (absolute, or under a worktree folder whose name may hold <c>/</c>) maps to the longest
/// repository path it ends with; a shorter path (the session worked in a sub-folder: <c>internal/x.go</c> for
/// <c>pkg/a/internal/x.go</c>) maps to the one repository path that ends with it, and to nothing when two do.
/// It never guesses between two candidates.
/// </summary>
public sealed class RepoPathIndex
{
    private readonly HashSet<string> _paths;
    private readonly Dictionary<string, List<string>> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _resolved = new(StringComparer.Ordinal);

    public RepoPathIndex(IEnumerable<string> repositoryPaths)
    {
        _paths = new HashSet<string>(repositoryPaths, StringComparer.Ordinal);
        foreach (var path in _paths)
        {
            var name = FileName(path);
            (_byName.TryGetValue(name, out var list) ? list : _byName[name] = []).Add(path);
        }
    }

    /// <summary>The repository path a session's path names, or null when none (or more than one) fits.</summary>
    public string? Resolve(string sessionPath)
    {
        if (_resolved.TryGetValue(sessionPath, out var known))
        {
            return known;
        }

        var resolved = Find(Clean(sessionPath));
        _resolved[sessionPath] = resolved;
        return resolved;
    }

    private string? Find(string path)
    {
        if (path.Length == 0)
        {
            return null;
        }

        if (_paths.Contains(path))
        {
            return path;
        }

        if (!_byName.TryGetValue(FileName(path), out var candidates))
        {
            return null;
        }

        // A repository path at the end of the session's path: the longest is the most specific (unique by construction).
        string? longest = null;
        foreach (var candidate in candidates)
        {
            if (path.EndsWith("/" + candidate, StringComparison.Ordinal) && (longest is null || candidate.Length > longest.Length))
            {
                longest = candidate;
            }
        }

        if (longest is not null)
        {
            return longest;
        }

        // The session's path at the end of a repository path (a sub-folder session): only when exactly one fits.
        if (path.StartsWith('/') || IsDrivePath(path))
        {
            return null;
        }

        string? single = null;
        foreach (var candidate in candidates)
        {
            if (candidate.EndsWith("/" + path, StringComparison.Ordinal))
            {
                if (single is not null)
                {
                    return null;
                }

                single = candidate;
            }
        }

        return single;
    }

    /// <summary>Slashes unified, surrounding blanks and leading <c>./</c> dropped.</summary>
    public static string Clean(string path)
    {
        var p = path.Replace('\\', '/').Trim();
        while (p.StartsWith("./", StringComparison.Ordinal))
        {
            p = p[2..];
        }

        return p;
    }

    private static bool IsDrivePath(string path) => path.Length > 2 && path[1] == ':' && path[2] == '/';

    private static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];
}
