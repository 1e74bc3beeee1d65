using System.Text.RegularExpressions;

namespace Attribution.Git;

/// <summary>
/// Git trailers: <c>Key: value</c> lines of a message's last paragraph (as <c>git interpret-trailers</c>
/// reads them), plus the revert relation git writes into revert messages.
/// </summary>
public static partial class TrailerParser
{
    /// <summary>The trailers of <paramref name="message"/>, in order; empty when the last paragraph is not a trailer block.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return [];
        }

        var lines = message.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n', ' ', '\t').Split('\n');
        var start = lines.Length;
        while (start > 0 && !string.IsNullOrWhiteSpace(lines[start - 1]))
        {
            start--;
        }

        // A message that is one paragraph has no body, so no trailer block (the subject is not a trailer).
        if (start == 0)
        {
            return [];
        }

        var result = new List<KeyValuePair<string, string>>();
        var trailerLines = 0;
        var otherLines = 0;
        for (var i = start; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && result.Count > 0)
            {
                // Continuation of the previous trailer's value.
                var last = result[^1];
                result[^1] = new(last.Key, last.Value + " " + line.Trim());
                continue;
            }

            var match = TrailerLine().Match(line);
            if (match.Success)
            {
                result.Add(new(match.Groups["key"].Value, match.Groups["value"].Value.Trim()));
                trailerLines++;
            }
            else
            {
                otherLines++;
            }
        }

        // git accepts a block when at least a quarter... keep it strict: every line must be a trailer,
        // except that free text is tolerated when trailers are the clear majority.
        return trailerLines > 0 && otherLines * 3 <= trailerLines ? result : [];
    }

    /// <summary>The sha named by <c>This reverts commit &lt;sha&gt;</c>, lowercased; null when none.</summary>
    public static string? RevertedSha(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return null;
        }

        var match = RevertLine().Match(message);
        return match.Success ? match.Groups["sha"].Value.ToLowerInvariant() : null;
    }

    [GeneratedRegex(@"^(?<key>[A-Za-z0-9][A-Za-z0-9-]*)\s*:\s?(?<value>.*)$")]
    private static partial Regex TrailerLine();

    [GeneratedRegex(@"This reverts commit (?<sha>[0-9a-fA-F]{7,40})", RegexOptions.CultureInvariant)]
    private static partial Regex RevertLine();
}
