using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Attribution.Common;
using Attribution.Store;
using static Attribution.Common.PayloadJson;

namespace Attribution.Providers.GitHub;

/// <summary>
/// A GitHub pull request object → <see cref="PullRequestRow"/>: the <c>pull_request</c> of a webhook delivery and an
/// item of <c>GET /repos/{o}/{r}/pulls</c> are the same shape and map here, once. Also the REST commits of a PR and
/// the PRs a merged revert names.
/// </summary>
public static partial class GitHubPullRequests
{
    public const string Provider = "github";

    /// <param name="path">Where <paramref name="pr"/> sits, for the error that names a missing field.</param>
    /// <param name="number">The delivery's own <c>number</c>, used when the object lacks one.</param>
    public static PullRequestRow Map(JsonElement pr, string repoSlug, string path = "pull_request", long? number = null)
    {
        // Merged when the flag says so (webhooks, single-PR answers) or merged_at is set (list answers carry only that);
        // merge_commit_sha alone is GitHub's test-merge commit and says nothing about merging.
        var merged = Bool(pr, "merged") == true || Timestamp(pr, "merged_at") is not null;
        var state = merged ? "merged" : RequiredString(pr, "state", path + ".state") == "closed" ? "closed" : "open";
        var head = Optional(pr, "head");
        return new PullRequestRow
        {
            Provider = Provider,
            RepoSlug = RepoSlug.Normalize(repoSlug),
            PrNumber = IssueNumber(pr, "number", path + ".number") ?? number ?? RequiredIssueNumber(pr, "number", path + ".number"),
            State = state,
            Title = String(pr, "title"),
            Author = String(Optional(pr, "user"), "login"),
            Url = String(pr, "html_url"),
            Body = String(pr, "body"),
            HeadRef = String(head, "ref"),
            HeadSha = String(head, "sha"),
            BaseRef = String(Optional(pr, "base"), "ref"),
            MergeCommitSha = merged ? String(pr, "merge_commit_sha") : null,
            MergedAt = merged ? Timestamp(pr, "merged_at") : null,
            CreatedAt = Timestamp(pr, "created_at"),
            ClosedAt = Timestamp(pr, "closed_at"),
            SourceUpdatedAt = Timestamp(pr, "updated_at"),
            RawJson = JsonText.Of(pr),
        };
    }

    /// <summary>
    /// PRs a merged PR's body reverts: lines <c>Reverts owner/repo#N</c> (GitHub's revert button writes this) or
    /// <c>Reverts #N</c> (this repository). Only at a line's start, so prose that mentions one is not a revert.
    /// </summary>
    public static IReadOnlyList<RevertTarget> Reverts(string? body, string repoSlug) =>
        string.IsNullOrEmpty(body)
            ? []
            : RevertsPattern().Matches(body)
                .Select(m => new RevertTarget(
                    RepoSlug.Normalize(m.Groups["repo"].Success ? m.Groups["repo"].Value : repoSlug),
                    long.Parse(m.Groups["number"].Value, CultureInfo.InvariantCulture)))
                .Distinct()
                .ToList();

    // Linear in its input (NonBacktracking), so it needs no timeout: a timeout only failed on a loaded machine.
    [GeneratedRegex(@"^[ \t]*Reverts[ \t]+(?:(?<repo>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+))?#(?<number>\d{1,9})\b",
        RegexOptions.Multiline | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex RevertsPattern();

    /// <summary>An item of <c>GET /repos/{o}/{r}/pulls/{n}/commits</c>.</summary>
    public static CommitRecord Commit(JsonElement commit, string repoSlug)
    {
        var detail = Optional(commit, "commit");
        return ApiCommits.Of(repoSlug, RequiredString(commit, "sha", "commits[].sha"),
            [.. Objects(commit, "parents").Select(p => String(p, "sha")).OfType<string>()],
            Person(Optional(detail, "author")), Person(Optional(detail, "committer")), String(detail, "message"));
    }

    private static ApiCommits.Person Person(JsonElement? who) => new(String(who, "name"), String(who, "email"), Timestamp(who, "date"));
}
