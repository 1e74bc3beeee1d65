namespace Attribution.Linking;

/// <summary>
/// How much of the text a session wrote shows up among a commit's added lines. Lines are compared trimmed;
/// short or punctuation-only lines (<c>}</c>, <c>else:</c>) are ignored because they match by chance.
/// </summary>
public static class TextMatcher
{
    public const int MinSignificantLength = 8;

    /// <summary>The significant lines of a text the session wrote.</summary>
    public static IEnumerable<string> SignificantLines(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length >= MinSignificantLength && line.Count(char.IsLetterOrDigit) >= 5)
            {
                yield return line;
            }
        }
    }

    /// <summary>
    /// Best share (0..1) of significant session lines found among <paramref name="addedLines"/>, over each
    /// text on its own and all texts together; null when the session wrote no significant line.
    /// </summary>
    public static double? Ratio(IEnumerable<string?> sessionTexts, IEnumerable<string> addedLines) => Match(sessionTexts, addedLines).Ratio;

    /// <summary>
    /// The ratio as in <see cref="Ratio"/> and the number of distinct significant session lines found. Hits matter
    /// because an Edit's new text repeats unchanged context lines and a Write repeats the whole file, which
    /// keeps the ratio low even when the session's new lines are all in the commit.
    /// </summary>
    public static (double? Ratio, int Hits) Match(IEnumerable<string?> sessionTexts, IEnumerable<string> addedLines) =>
        Match(sessionTexts, AddedSet(addedLines));

    /// <summary>The trimmed added lines as a set, to match many sessions against one commit.</summary>
    public static HashSet<string> AddedSet(IEnumerable<string> addedLines) => new(addedLines.Select(l => l.Trim()), StringComparer.Ordinal);

    /// <summary><see cref="Match(IEnumerable{string?}, IEnumerable{string})"/> against a prepared set of trimmed added lines.</summary>
    public static (double? Ratio, int Hits) Match(IEnumerable<string?> sessionTexts, IReadOnlySet<string> added)
    {
        var distinctHits = new HashSet<string>(StringComparer.Ordinal);
        int total = 0, found = 0;
        double best = 0;
        foreach (var text in sessionTexts)
        {
            var lines = SignificantLines(text).ToList();
            if (lines.Count == 0)
            {
                continue;
            }

            var hits = 0;
            foreach (var line in lines)
            {
                if (added.Contains(line))
                {
                    hits++;
                    distinctHits.Add(line);
                }
            }

            total += lines.Count;
            found += hits;

            // A single edit counts on its own only with enough lines to be distinctive.
            if (lines.Count >= 2)
            {
                best = Math.Max(best, (double)hits / lines.Count);
            }
        }

        return total == 0 ? (null, 0) : (Math.Max(best, (double)found / total), distinctHits.Count);
    }
}
