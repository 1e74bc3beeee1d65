using System.Globalization;
using System.Text.RegularExpressions;

namespace Attribution.Pages.Dashboard;

/// <summary>What a search text can be read as (pure): a PR URL, a PR number, a sha prefix, a session id (prefix) or a branch.</summary>
public sealed partial record SearchQuery(string Text)
{
    public const int MinShaPrefix = 4;

    /// <summary>A GitHub pull URL or a GitLab merge request URL: the repository and number.</summary>
    public (string Repo, long Number)? PrUrl =>
        PrUrlPattern().Match(Text) is { Success: true } m && long.TryParse(m.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? (m.Groups["repo"].Value, n)
            : null;

    /// <summary><c>#42</c> or <c>42</c>: a PR number.</summary>
    public long? PrNumber
    {
        get
        {
            var digits = Text.StartsWith('#') ? Text[1..] : Text;
            return digits.Length is > 0 and <= 9 && digits.All(char.IsAsciiDigit) ? long.Parse(digits, CultureInfo.InvariantCulture) : null;
        }
    }

    /// <summary>A lowercase hex prefix of 4–40 characters.</summary>
    public string? ShaPrefix
    {
        get
        {
            var lower = Text.ToLowerInvariant();
            return lower.Length is >= MinShaPrefix and <= 40 && lower.All(char.IsAsciiHexDigit) ? lower : null;
        }
    }

    /// <summary>A single token (no spaces): may be a session id or a branch name.</summary>
    public bool IsToken => Text.Length is > 0 and <= 200 && !Text.Any(char.IsWhiteSpace) && PrUrl is null;

    [GeneratedRegex(@"^https?://[^/\s]+/(?<repo>[^\s]+?)/(?:-/)?(?:pull|pulls|merge_requests)/(?<n>\d{1,9})(?:[/?#].*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 200)]
    private static partial Regex PrUrlPattern();
}
