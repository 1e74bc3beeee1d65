namespace Attribution.Linking;

/// <summary>
/// How much of the text a session wrote shows up among a commit's added lines. Lines are compared trimmed;
/// short or punctuation-only lines (<c>}</c>, <c>else:</c>) are ignored because they match by chance.
/// </summary>
public static class TextMatcher
{
    public const int MinSignificantLength = 6;

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
            if (line.Length >= MinSignificantLength && line.Count(char.IsLetterOrDigit) >= 4)
            {
                yield return line;
            }
        }
    }

    /// <summary>
    /// Best share (0..1) of significant session lines found among <paramref name="addedLines"/>, over each
    /// text on its own and all texts together; null when the session wrote no significant line.
    /// </summary>
    public static double? Ratio(IEnumerable<string?> sessionTexts, IEnumerable<string> addedLines)
    {
        var added = new HashSet<string>(addedLines.Select(l => l.Trim()), StringComparer.Ordinal);
        int total = 0, found = 0;
        double best = 0;
        foreach (var text in sessionTexts)
        {
            var lines = SignificantLines(text).ToList();
            if (lines.Count == 0)
            {
                continue;
            }

            var hits = lines.Count(added.Contains);
            total += lines.Count;
            found += hits;

            // A single edit counts on its own only with enough lines to be distinctive.
            if (lines.Count >= 2)
            {
                best = Math.Max(best, (double)hits / lines.Count);
            }
        }

        return total == 0 ? null : Math.Max(best, (double)found / total);
    }
}
