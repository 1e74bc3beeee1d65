using System.Text;
using System.Text.RegularExpressions;

namespace Attribution.Git;

/// <summary>
/// Git trailers, read the way git reads them (<c>git interpret-trailers --parse</c>, <c>%(trailers)</c>), plus the
/// revert relation git writes into revert messages. One pass over the message, linear in its size.
/// </summary>
/// <remarks>
/// The rules, as git documents and applies them:
/// <list type="bullet">
/// <item>The first paragraph is the title and never holds trailers; only the last paragraph can be the trailer block.
/// Lines starting with <c>#</c> (git's comment character) are skipped, and trailing blank lines ignored.</item>
/// <item>A trailer line is <c>token: value</c>: the token is ASCII letters, digits and <c>-</c>, optionally followed by
/// spaces or tabs before the colon; a line starting with whitespace continues the previous trailer's value.</item>
/// <item>The last paragraph is a trailer block when every line in it is a trailer (or a continuation), or when it holds
/// a line git itself generates (<c>Signed-off-by: </c>, <c>(cherry picked from commit </c>) and at least a quarter of
/// its lines are trailers.</item>
/// </list>
/// So <c>fix: typo</c> or <c>https://example.com</c> in the body are not trailers, and a prose paragraph with a colon in
/// it (<c>Note that: ...</c>, where the text before the colon has a space) is not one either.
/// </remarks>
public static partial class TrailerParser
{
    private const char CommentChar = '#';

    private static readonly string[] GitGeneratedPrefixes = ["Signed-off-by: ", "(cherry picked from commit "];

    /// <summary>The trailers of <paramref name="message"/>, in order; empty when the last paragraph is not a trailer block.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return [];
        }

        var text = message.AsSpan();
        var lines = SplitLines(text);
        var blockStart = TrailerBlockStart(text, lines);
        if (blockStart < 0)
        {
            return [];
        }

        var result = new List<KeyValuePair<string, string>>();
        string? key = null;
        var value = new StringBuilder();
        for (var i = blockStart; i < lines.Count; i++)
        {
            var line = Slice(text, lines[i]);
            if (IsBlank(line))
            {
                // Only the trailing blank lines remain after the block.
                break;
            }

            if (line[0] == CommentChar)
            {
                Flush(result, ref key, value);
                continue;
            }

            if (IsSpace(line[0]))
            {
                if (key is not null)
                {
                    value.Append(' ').Append(line.Trim());
                }

                continue;
            }

            Flush(result, ref key, value);
            var separator = SeparatorIndex(line);
            if (separator >= 1)
            {
                key = line[..separator].Trim().ToString();
                value.Append(line[(separator + 1)..].Trim());
            }
        }

        Flush(result, ref key, value);
        return result;
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

    /// <summary>The index of the first line of the trailer block, or -1 when the message has none.</summary>
    private static int TrailerBlockStart(ReadOnlySpan<char> text, List<(int Start, int Length)> lines)
    {
        // The title paragraph: up to its first blank line (comment lines do not end it).
        var endOfTitle = 0;
        while (endOfTitle < lines.Count)
        {
            var line = Slice(text, lines[endOfTitle]);
            if (line.Length > 0 && line[0] == CommentChar)
            {
                endOfTitle++;
                continue;
            }

            if (IsBlank(line))
            {
                break;
            }

            endOfTitle++;
        }

        // From the end back to the blank line that opens the last paragraph, counting its kinds of lines.
        var onlyBlankSoFar = true;
        var gitGenerated = false;
        var trailerLines = 0;
        var otherLines = 0;
        var possibleContinuations = 0;
        for (var i = lines.Count - 1; i >= endOfTitle; i--)
        {
            var line = Slice(text, lines[i]);
            if (line.Length > 0 && line[0] == CommentChar)
            {
                otherLines += possibleContinuations;
                possibleContinuations = 0;
                continue;
            }

            if (IsBlank(line))
            {
                if (onlyBlankSoFar)
                {
                    continue;
                }

                otherLines += possibleContinuations;
                var accepted = (gitGenerated && trailerLines * 3 >= otherLines) || (trailerLines > 0 && otherLines == 0);
                return accepted ? i + 1 : -1;
            }

            onlyBlankSoFar = false;
            if (StartsWithGitGeneratedPrefix(line))
            {
                trailerLines++;
                possibleContinuations = 0;
                gitGenerated = true;
            }
            else if (!IsSpace(line[0]) && SeparatorIndex(line) >= 1)
            {
                trailerLines++;
                possibleContinuations = 0;
            }
            else if (IsSpace(line[0]))
            {
                possibleContinuations++;
            }
            else
            {
                otherLines += 1 + possibleContinuations;
                possibleContinuations = 0;
            }
        }

        // No blank line before the last paragraph: the message is its title alone.
        return -1;
    }

    /// <summary>
    /// Where the <c>:</c> of a trailer line is: after a token of ASCII letters, digits and <c>-</c>, optionally followed by
    /// spaces or tabs; -1 when the line does not have that shape (a space inside the token, a colon first, another character).
    /// </summary>
    private static int SeparatorIndex(ReadOnlySpan<char> line)
    {
        var afterWhitespace = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == ':')
            {
                return i;
            }

            if (!afterWhitespace && (char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                continue;
            }

            if (i > 0 && (c == ' ' || c == '\t'))
            {
                afterWhitespace = true;
                continue;
            }

            return -1;
        }

        return -1;
    }

    private static bool StartsWithGitGeneratedPrefix(ReadOnlySpan<char> line)
    {
        foreach (var prefix in GitGeneratedPrefixes)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static void Flush(List<KeyValuePair<string, string>> result, ref string? key, StringBuilder value)
    {
        if (key is not null)
        {
            result.Add(new(key, value.ToString().Trim()));
        }

        key = null;
        value.Clear();
    }

    /// <summary>Each line's start and length, without its <c>\n</c> or a <c>\r</c> before it.</summary>
    private static List<(int Start, int Length)> SplitLines(ReadOnlySpan<char> text)
    {
        var lines = new List<(int, int)>();
        var start = 0;
        while (start <= text.Length)
        {
            var newline = text[start..].IndexOf('\n');
            var end = newline < 0 ? text.Length : start + newline;
            var length = end - start;
            if (length > 0 && text[end - 1] == '\r')
            {
                length--;
            }

            lines.Add((start, length));
            if (newline < 0)
            {
                break;
            }

            start = end + 1;
        }

        return lines;
    }

    private static ReadOnlySpan<char> Slice(ReadOnlySpan<char> text, (int Start, int Length) line) => text.Slice(line.Start, line.Length);

    private static bool IsBlank(ReadOnlySpan<char> line)
    {
        foreach (var c in line)
        {
            if (!IsSpace(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\v' or '\f' or '\r';

    [GeneratedRegex(@"This reverts commit (?<sha>[0-9a-fA-F]{7,40})", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex RevertLine();
}
