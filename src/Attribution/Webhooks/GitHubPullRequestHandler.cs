using System.Text.Json;
using System.Text.RegularExpressions;
using Attribution.Store;
using static Attribution.Webhooks.PayloadJson;

namespace Attribution.Webhooks;

/// <summary>GitHub <c>pull_request</c> (every action) → <c>pr_outcomes</c>, its head commit → <c>pr_commits</c>.</summary>
public static partial class GitHubPullRequestHandler
{
    public static ParsedDelivery Parse(JsonElement root)
    {
        var pr = RequiredObject(root, "pull_request", "pull_request");
        var repo = RequiredRepo(RequiredObject(root, "repository", "repository"), "full_name", "repository.full_name");
        var number = Long(pr, "number") ?? RequiredLong(root, "number", "pull_request.number");
        var action = String(root, "action");

        // Merged comes from the flag only: closed-unmerged PRs carry a test-merge merge_commit_sha too.
        var merged = Bool(pr, "merged") == true;
        var state = merged ? "merged" : RequiredString(pr, "state", "pull_request.state") == "closed" ? "closed" : "open";
        var head = Optional(pr, "head");
        var body = String(pr, "body");
        var mergedAt = merged ? Timestamp(pr, "merged_at") : null;
        var record = new PullRequestRecord
        {
            Provider = "github",
            RepoSlug = repo,
            Number = number,
            State = state,
            Title = String(pr, "title"),
            Author = Optional(pr, "user") is { } user ? String(user, "login") : null,
            Url = String(pr, "html_url"),
            Body = body,
            HeadRef = head is { } h ? String(h, "ref") : null,
            HeadSha = head is { } hs ? String(hs, "sha") : null,
            BaseRef = Optional(pr, "base") is { } b ? String(b, "ref") : null,
            MergeCommitSha = merged ? String(pr, "merge_commit_sha") : null,
            MergedAt = mergedAt,
            CreatedAt = Timestamp(pr, "created_at"),
            ClosedAt = Timestamp(pr, "closed_at"),
            SourceUpdatedAt = Timestamp(pr, "updated_at"),
            RawJson = JsonText.Of(pr),
        };
        var reverts = merged ? RevertTargets(body) : [];
        return new ParsedDelivery(action, repo, new PullRequestEffect(record, reverts));
    }

    /// <summary>PRs named by <c>Reverts owner/repo#N</c> lines (GitHub's revert button writes this).</summary>
    public static IReadOnlyList<RevertTarget> RevertTargets(string? body) =>
        body is null
            ? []
            : RevertsPattern().Matches(body)
                .Select(m => new RevertTarget(m.Groups["repo"].Value, long.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture)))
                .Distinct()
                .ToList();

    [GeneratedRegex(@"\bReverts\s+(?<repo>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)#(?<n>\d{1,9})\b", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex RevertsPattern();
}
