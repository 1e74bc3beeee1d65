using Attribution.Common;
using Attribution.Store;

namespace Attribution.Providers;

/// <summary>A commit as a provider's REST API lists it for a PR (source <c>api</c>: fills gaps, never downgrades git rows).</summary>
public static class ApiCommits
{
    /// <summary>A commit's author or committer: name, email and time.</summary>
    public readonly record struct Person(string? Name, string? Email, DateTimeOffset? At);

    public static CommitRecord Of(string repoSlug, string sha, IReadOnlyList<string> parents, Person author, Person committer, string? message) => new()
    {
        RepoSlug = RepoSlug.Normalize(repoSlug),
        Sha = sha,
        Source = "api",
        Parents = parents,
        AuthorName = author.Name,
        AuthorEmail = author.Email,
        AuthorTs = author.At,
        CommitterName = committer.Name,
        CommitterEmail = committer.Email,
        CommitterTs = committer.At,
        Message = message,
    };
}
