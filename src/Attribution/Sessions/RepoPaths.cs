using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Attribution.Sessions;

/// <summary>
/// Maps the absolute paths a session touched to paths relative to its repository root. When the session's
/// folder exists on this machine the git root is found by walking up to the folder holding <c>.git</c>
/// (a worktree's <c>.git</c> file counts: a worktree has the repository's layout). Otherwise the root is
/// the worktree folder in the cwd (<c>.../.worktrees/2</c>, <c>.../.claude/worktrees/x</c>) or the cwd itself. The roots
/// found are cached per folder, within bounds (<see cref="MaxCachedFolders"/>, <see cref="MaxCachedCwdLength"/>).
/// </summary>
public sealed partial class RepoPaths
{
    /// <summary>Most folders remembered; past it the cache starts over (a long-running server sees cwds without end).</summary>
    internal const int MaxCachedFolders = 4096;

    /// <summary>Longer cwds are resolved every time, never kept: no real folder is this long, a hostile transcript's may be.</summary>
    internal const int MaxCachedCwdLength = 4096;

    private readonly ConcurrentDictionary<string, string[]> _roots = new(StringComparer.Ordinal);

    /// <summary>Folders remembered now.</summary>
    internal int CachedFolders => _roots.Count;

    [GeneratedRegex(@"^(?<main>.+?)/\.(?:claude/)?worktrees/[^/]+", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex WorktreeRoot();

    /// <summary>The candidate roots for a cwd, best first.</summary>
    public IReadOnlyList<string> RootsOf(string cwd)
    {
        var folder = Normalize(cwd);
        if (folder.Length > MaxCachedCwdLength)
        {
            return FindRoots(folder);
        }

        if (_roots.TryGetValue(folder, out var known))
        {
            return known;
        }

        if (_roots.Count >= MaxCachedFolders)
        {
            _roots.Clear();
        }

        return _roots.GetOrAdd(folder, FindRoots);
    }

    /// <summary>The path relative to the repository root, or null when it lies outside every candidate root.</summary>
    public string? Relative(string? cwd, string absolutePath)
    {
        var path = Normalize(absolutePath);
        if (cwd is null)
        {
            return null;
        }

        foreach (var root in RootsOf(cwd))
        {
            if (path.Length > root.Length + 1 && path.StartsWith(root, StringComparison.Ordinal) && path[root.Length] == '/')
            {
                return path[(root.Length + 1)..];
            }
        }

        return null;
    }

    /// <summary>An absolute path for a path the agent gave relative to its working folder.</summary>
    public static string Absolute(string? cwd, string path)
    {
        var normalized = path.Replace('\\', '/');
        if (normalized.StartsWith('/') || (normalized.Length > 2 && normalized[1] == ':') || cwd is null)
        {
            return normalized;
        }

        var combined = Normalize(cwd) + "/" + (normalized.StartsWith("./", StringComparison.Ordinal) ? normalized[2..] : normalized);
        return combined;
    }

    private static string Normalize(string path)
    {
        var normalized = path.Replace('\\', '/');
        return normalized.Length > 1 ? normalized.TrimEnd('/') : normalized;
    }

    private static string[] FindRoots(string cwd)
    {
        var roots = new List<string>();
        var local = FindGitRoot(cwd);
        if (local is not null)
        {
            roots.Add(local);
        }

        var worktree = WorktreeRoot().Match(cwd);
        if (worktree.Success)
        {
            roots.Add(worktree.Value);
            roots.Add(worktree.Groups["main"].Value);
        }
        else
        {
            roots.Add(cwd);
        }

        return [.. roots.Distinct(StringComparer.Ordinal)];
    }

    private static string? FindGitRoot(string cwd)
    {
        try
        {
            for (var dir = new DirectoryInfo(cwd); dir is not null; dir = dir.Parent)
            {
                if (!dir.Exists)
                {
                    return null;
                }

                var git = Path.Combine(dir.FullName, ".git");
                if (Directory.Exists(git) || File.Exists(git))
                {
                    return Normalize(dir.FullName);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or System.Security.SecurityException)
        {
            // An unreadable or odd path: fall back to the textual rules.
        }

        return null;
    }
}
