using Attribution.Common;
using System.Globalization;
using System.Text.Json;
using Attribution.Store;

namespace Attribution.Backfill;

/// <summary>GitHub REST objects (the same shapes webhooks carry) mapped to store records. Pure.</summary>
public static class GitHubMapper
{
    public const string Provider = "github";

    public static PullRequestRecord PullRequest(JsonElement pr, string repoSlug)
    {
        // merged_at (or `merged`, present on single-PR answers and webhooks) decides; merge_commit_sha alone
        // is GitHub's test-merge commit and says nothing about merging.
        var merged = pr.Bool("merged") == true || pr.Time("merged_at") is not null;
        var state = merged ? "merged" : pr.Str("state") == "closed" ? "closed" : "open";
        return new PullRequestRecord
        {
            Provider = Provider,
            RepoSlug = RepoSlug.Normalize(repoSlug),
            Number = pr.Long("number") ?? throw new JsonException("pull request without a number"),
            State = state,
            Title = pr.Str("title"),
            Author = pr.Str("user", "login"),
            Url = pr.Str("html_url"),
            HeadRef = pr.Str("head", "ref"),
            HeadSha = pr.Str("head", "sha"),
            BaseRef = pr.Str("base", "ref"),
            MergeCommitSha = merged ? pr.Str("merge_commit_sha") : null,
            Body = pr.Str("body"),
            CreatedAt = pr.Time("created_at"),
            ClosedAt = pr.Time("closed_at"),
            MergedAt = pr.Time("merged_at"),
            SourceUpdatedAt = pr.Time("updated_at"),
            RawJson = JsonText.Of(pr),
        };
    }

    /// <summary>An item of <c>GET /repos/{o}/{r}/pulls/{n}/commits</c>.</summary>
    public static CommitRecord Commit(JsonElement commit, string repoSlug) => new()
    {
        RepoSlug = RepoSlug.Normalize(repoSlug),
        Sha = commit.Str("sha") ?? throw new JsonException("commit without a sha"),
        Source = "api",
        Parents = [.. commit.Items("parents").Select(p => p.Str("sha")).OfType<string>()],
        AuthorName = commit.Str("commit", "author", "name"),
        AuthorEmail = commit.Str("commit", "author", "email"),
        AuthorTs = commit.Time("commit", "author", "date"),
        CommitterName = commit.Str("commit", "committer", "name"),
        CommitterEmail = commit.Str("commit", "committer", "email"),
        CommitterTs = commit.Time("commit", "committer", "date"),
        Message = commit.Str("commit", "message"),
    };

    /// <summary>An item of <c>check_runs</c> (<c>GET /commits/{sha}/check-runs</c>), provider <c>github-checks</c>.</summary>
    public static CiRunRecord CheckRun(JsonElement run, string repoSlug) => new()
    {
        Provider = "github-checks",
        RepoSlug = RepoSlug.Normalize(repoSlug),
        RunId = "check_run:" + Id(run),
        CommitSha = run.Str("head_sha"),
        Status = CiStatus.FromGitHub(run.Str("status"), run.Str("conclusion")),
        WorkflowName = run.Str("name"),
        Branch = run.Str("check_suite", "head_branch"),
        Url = run.Str("html_url"),
        StartedTs = run.Time("started_at"),
        CompletedTs = run.Time("completed_at"),
        // Check runs carry no updated_at: their latest transition stands in for it.
        SourceUpdatedAt = run.Time("completed_at") ?? run.Time("started_at"),
        RawJson = run.GetRawText(),
    };

    /// <summary>An item of <c>workflow_runs</c> (<c>GET /actions/runs?head_sha=</c>), provider <c>github-actions</c>.</summary>
    public static CiRunRecord WorkflowRun(JsonElement run, string repoSlug)
    {
        var status = CiStatus.FromGitHub(run.Str("status"), run.Str("conclusion"));
        return new CiRunRecord
        {
            Provider = "github-actions",
            RepoSlug = RepoSlug.Normalize(repoSlug),
            RunId = "run:" + Id(run),
            CommitSha = run.Str("head_sha"),
            Status = status,
            WorkflowName = run.Str("name").NonEmpty(),
            Branch = run.Str("head_branch"),
            Url = run.Str("html_url"),
            StartedTs = run.Time("run_started_at") ?? run.Time("created_at"),
            CompletedTs = CiStatus.IsFinal(status) ? run.Time("updated_at") : null,
            SourceUpdatedAt = run.Time("updated_at"),
            RawJson = run.GetRawText(),
        };
    }

    /// <summary>An item of <c>GET /commits/{sha}/statuses</c> (no sha inside: the caller's), provider <c>github-status</c>.</summary>
    public static CiRunRecord Status(JsonElement status, string repoSlug, string sha)
    {
        var normalised = CiStatus.FromGitHubState(status.Str("state"));
        return new CiRunRecord
        {
            Provider = "github-status",
            RepoSlug = RepoSlug.Normalize(repoSlug),
            // One row per repository, commit and context, as the webhook receiver keys statuses (Webhooks.CiRunIds).
            RunId = Webhooks.CiRunIds.CommitStatus(repoSlug, status.Str("sha") ?? sha, status.Str("context") ?? "default"),
            CommitSha = status.Str("sha") ?? sha,
            Status = normalised,
            WorkflowName = status.Str("context"),
            Url = status.Str("target_url"),
            StartedTs = status.Time("created_at"),
            CompletedTs = CiStatus.IsFinal(normalised) ? status.Time("updated_at") : null,
            SourceUpdatedAt = status.Time("updated_at"),
            RawJson = status.GetRawText(),
        };
    }

    private static string Id(JsonElement element) =>
        (element.Long("id") ?? throw new JsonException("object without an id")).ToString(CultureInfo.InvariantCulture);
}
