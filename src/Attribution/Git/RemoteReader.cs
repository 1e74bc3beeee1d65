using LibGit2Sharp;

namespace Attribution.Git;

/// <summary>Reads the <c>origin</c> remote of a local clone, and turns remote URLs into <c>owner/name</c> slugs.</summary>
public static class RemoteReader
{
    /// <summary>The slug of the <c>origin</c> remote of the repository containing <paramref name="folder"/>, or null.</summary>
    public static string? OriginSlug(string folder)
    {
        try
        {
            if (!Directory.Exists(folder))
            {
                return null;
            }

            var gitDir = Repository.Discover(folder);
            if (gitDir is null)
            {
                return null;
            }

            using var repository = new Repository(gitDir);
            var origin = repository.Network.Remotes["origin"];
            return origin is null ? null : SlugFromUrl(origin.Url);
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// <c>owner/name</c> (GitLab: the full namespace path) from <c>https://host/owner/name(.git)</c>,
    /// <c>git@host:owner/name.git</c> or <c>ssh://git@host[:port]/owner/name</c>; null when there is no path.
    /// </summary>
    public static string? SlugFromUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        var text = url.Trim();
        string path;
        if (text.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
            {
                return null;
            }

            path = uri.AbsolutePath;
        }
        else
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return null;
            }

            path = text[(colon + 1)..];
        }

        path = path.Trim('/');
        if (path.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            path = path[..^4];
        }

        return path.Contains('/', StringComparison.Ordinal) ? path : null;
    }
}
