using Attribution.Common;
using System.Text.Json;
using Attribution.Store;
using static Attribution.Common.PayloadJson;
using static Attribution.Providers.RepoField;

namespace Attribution.Webhooks;

/// <summary>GitHub <c>push</c> → commits of a branch; tag pushes and branch deletions are deliveries only.</summary>
public static class GitHubPushHandler
{
    public static ParsedDelivery Parse(JsonElement root)
    {
        var gitRef = RequiredString(root, "ref", "ref");
        var repo = GitHubRepo(root);
        var deleted = Bool(root, "deleted") == true || IsZeroSha(String(root, "after"));
        return Classify(gitRef, deleted) is { } reason
            ? new ParsedDelivery(null, repo, new NoEffect(reason))
            : new ParsedDelivery(null, repo, new PushEffect("github", repo, gitRef["refs/heads/".Length..], ReadCommits(root, repo, gitRef["refs/heads/".Length..], "commits")));
    }

    /// <summary>Why a push is a delivery only (null for an ordinary branch push).</summary>
    public static string? Classify(string gitRef, bool deleted) =>
        gitRef.StartsWith("refs/tags/", StringComparison.Ordinal) ? "tag push: recorded as delivery only"
        : !gitRef.StartsWith("refs/heads/", StringComparison.Ordinal) ? "push to a ref that is not a branch: recorded as delivery only"
        : deleted ? "branch deletion: recorded as delivery only"
        : null;

    public static bool IsZeroSha(string? sha) => sha is { Length: 40 } && sha.All(c => c == '0');

    /// <summary>Commits of a GitHub or GitLab push payload (both use id/message/timestamp/author/added/modified/removed).</summary>
    public static IReadOnlyList<CommitRecord> ReadCommits(JsonElement root, string repo, string branch, string property)
    {
        var commits = new List<CommitRecord>();
        var index = 0;
        foreach (var commit in Objects(root, property))
        {
            var sha = RequiredString(commit, "id", $"{property}[{index}].id");
            if (sha.Length != 40 || !sha.All(char.IsAsciiHexDigit))
            {
                throw new PayloadShapeException($"{property}[{index}].id", "must be a 40-character hex sha.");
            }

            var author = Optional(commit, "author");
            var committer = Optional(commit, "committer");
            // A push gives one timestamp per commit; it fills both times until git history gives the exact ones.
            var timestamp = Timestamp(commit, "timestamp");
            var files = Strings(commit, "added").Select(p => new CommitFileRecord(p, "added"))
                .Concat(Strings(commit, "modified").Select(p => new CommitFileRecord(p, "modified")))
                .Concat(Strings(commit, "removed").Select(p => new CommitFileRecord(p, "deleted")))
                .DistinctBy(f => f.Path, StringComparer.Ordinal)
                .ToList();
            commits.Add(new CommitRecord
            {
                RepoSlug = repo,
                Sha = sha,
                Source = "push",
                AuthorName = author is { } a ? String(a, "name") : null,
                AuthorEmail = author is { } ae ? String(ae, "email") : null,
                AuthorTs = timestamp,
                CommitterName = committer is { } c ? String(c, "name") : null,
                CommitterEmail = committer is { } ce ? String(ce, "email") : null,
                CommitterTs = timestamp,
                Message = String(commit, "message"),
                Files = files,
                Refs = [branch],
            });
            index++;
        }

        return commits;
    }
}
