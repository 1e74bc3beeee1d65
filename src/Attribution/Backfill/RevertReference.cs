using System.Globalization;
using System.Text.RegularExpressions;

namespace Attribution.Backfill;

/// <summary>Finds GitHub's revert-button marker <c>Reverts owner/repo#N</c> (or <c>Reverts #N</c>) in a PR body.</summary>
public static partial class RevertReference
{
    [GeneratedRegex(@"^\s*Reverts\s+(?:(?<repo>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+))?#(?<number>\d{1,9})\b", RegexOptions.Multiline | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 200)]
    private static partial Regex Marker();

    public static (string RepoSlug, long Number)? Parse(string? body, string currentRepoSlug)
    {
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }

        var match = Marker().Match(body);
        if (!match.Success)
        {
            return null;
        }

        var repo = match.Groups["repo"].Success ? match.Groups["repo"].Value : currentRepoSlug;
        return (repo.ToLowerInvariant(), long.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture));
    }
}
