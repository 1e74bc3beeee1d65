namespace Attribution.Common;

/// <summary>Repository slugs (<c>owner/name</c>, GitLab <c>group/sub/name</c>) are compared case-insensitively: stored lowercased.</summary>
public static class RepoSlug
{
    public static string Normalize(string slug) => slug.Trim().Trim('/').ToLowerInvariant();

    /// <summary>True for <c>owner/name</c> with at least two non-empty segments of safe characters.</summary>
    public static bool IsValid(string? slug)
    {
        if (string.IsNullOrWhiteSpace(slug) || slug.Length > 300)
        {
            return false;
        }

        var parts = slug.Trim().Trim('/').Split('/');
        return parts.Length >= 2 && parts.All(p => p.Length > 0 && p != "." && p != ".." && p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'));
    }
}
