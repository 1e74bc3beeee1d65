namespace Attribution.Decisions.Bugs;

/// <summary>
/// Maps a path as a stack trace wrote it (absolute, from a container or CI machine, Windows or POSIX) to a
/// path of the repository tree: the longest suffix (by whole segments) that exists in the tree wins. Pure.
/// A suffix that matches several tree paths equally well is ambiguous and maps to nothing.
/// </summary>
public sealed class RepositoryPathMapper
{
    private readonly Dictionary<string, List<string>> _byFileName;

    public RepositoryPathMapper(IEnumerable<string> treePaths)
    {
        ArgumentNullException.ThrowIfNull(treePaths);
        _byFileName = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var path in treePaths.Distinct(StringComparer.Ordinal))
        {
            var name = path[(path.LastIndexOf('/') + 1)..];
            if (!_byFileName.TryGetValue(name, out var list))
            {
                _byFileName[name] = list = [];
            }

            list.Add(path);
        }
    }

    public string? Map(string tracePath)
    {
        if (string.IsNullOrWhiteSpace(tracePath))
        {
            return null;
        }

        var segments = Normalize(tracePath).Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || !_byFileName.TryGetValue(segments[^1], out var candidates))
        {
            return null;
        }

        string? best = null;
        var bestLength = 0;
        var tie = false;
        foreach (var candidate in candidates)
        {
            var length = CommonSuffixSegments(segments, candidate.Split('/'));
            if (length > bestLength)
            {
                (best, bestLength, tie) = (candidate, length, false);
            }
            else if (length == bestLength)
            {
                tie = true;
            }
        }

        return tie ? null : best;
    }

    /// <summary>Backslashes to slashes, drive letters and <c>./</c> dropped.</summary>
    public static string Normalize(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var text = path.Trim().Replace('\\', '/');
        if (text.Length >= 2 && char.IsAsciiLetter(text[0]) && text[1] == ':')
        {
            text = text[2..];
        }

        return text.StartsWith("./", StringComparison.Ordinal) ? text[2..] : text;
    }

    private static int CommonSuffixSegments(string[] trace, string[] candidate)
    {
        var n = 0;
        while (n < trace.Length && n < candidate.Length && string.Equals(trace[^(n + 1)], candidate[^(n + 1)], StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
