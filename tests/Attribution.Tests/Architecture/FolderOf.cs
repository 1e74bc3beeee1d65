namespace Attribution.Tests.Architecture;

/// <summary>The source folder a compiled type comes from, read from its namespace (<c>Attribution.Git.X</c> → <c>Git</c>).</summary>
public static class FolderOf
{
    /// <summary>The folder of one of our types, or null for generated plumbing that belongs to no folder.</summary>
    public static string? Type(string fullName)
    {
        // Razor compiles each page into this namespace; the pages are the Pages folder.
        if (fullName.StartsWith("AspNetCoreGeneratedDocument.", StringComparison.Ordinal))
        {
            return "Pages";
        }

        if (!fullName.StartsWith("Attribution.", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = fullName["Attribution.".Length..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? "(root)" : rest[..dot];
    }

    /// <summary>The assembly of a type from a package (<c>[LibGit2Sharp]LibGit2Sharp.Repository</c> → <c>LibGit2Sharp</c>), or null for ours.</summary>
    public static string? Assembly(string reference) =>
        reference.StartsWith('[') ? reference[1..reference.IndexOf(']', StringComparison.Ordinal)] : null;
}
