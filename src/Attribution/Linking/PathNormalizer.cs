namespace Attribution.Linking;

/// <summary>
/// Maps a path a session wrote to a repository-relative path: slashes unified, <c>./</c> dropped, and git
/// worktree prefixes (<c>.../.worktrees/2/src/x.py</c>, <c>.../worktrees/name/...</c>) cut away.
/// </summary>
public static class PathNormalizer
{
    public static string Normalize(string path)
    {
        var p = path.Replace('\\', '/').Trim();
        foreach (var marker in new[] { "/.worktrees/", "/.git/worktrees/", "/worktrees/", "/.claude/worktrees/" })
        {
            var at = p.LastIndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                var rest = p[(at + marker.Length)..];
                var slash = rest.IndexOf('/', StringComparison.Ordinal);
                p = slash >= 0 ? rest[(slash + 1)..] : rest;
            }
        }

        while (p.StartsWith("./", StringComparison.Ordinal))
        {
            p = p[2..];
        }

        return p;
    }

    /// <summary>True when a session path names the commit's repository-relative path (exact, or an absolute path ending with it).</summary>
    public static bool Matches(string sessionPath, string commitPath)
    {
        if (sessionPath.Equals(commitPath, StringComparison.Ordinal))
        {
            return true;
        }

        var rooted = sessionPath.StartsWith('/') || (sessionPath.Length > 2 && sessionPath[1] == ':');
        return rooted && sessionPath.EndsWith("/" + commitPath, StringComparison.Ordinal);
    }
}
