using Attribution.Common;
using System.Globalization;
using System.Text.Json;
using Attribution.Store;

namespace Attribution.Backfill;

/// <summary>GitLab REST v4 objects mapped to store records. Pure.</summary>
public static class GitLabMapper
{
    public const string Provider = "gitlab";
    public const string CiProvider = "gitlab-ci";

    /// <summary>An item of <c>GET /projects/:id/merge_requests</c>; pr_number is the <c>iid</c>.</summary>
    public static PullRequestRecord MergeRequest(JsonElement mr, string projectPath)
    {
        var state = mr.Str("state") switch
        {
            "merged" => "merged",
            "closed" => "closed",
            _ => "open", // opened, locked
        };
        var merged = state == "merged";
        return new PullRequestRecord
        {
            Provider = Provider,
            RepoSlug = RepoSlug.Normalize(projectPath),
            Number = mr.Long("iid") ?? throw new JsonException("merge request without an iid"),
            State = state,
            Title = mr.Str("title"),
            Author = mr.Str("author", "username"),
            Url = mr.Str("web_url"),
            HeadRef = mr.Str("source_branch"),
            HeadSha = mr.Str("sha"),
            BaseRef = mr.Str("target_branch"),
            MergeCommitSha = merged ? mr.Str("merge_commit_sha") ?? mr.Str("squash_commit_sha") : null,
            Body = mr.Str("description"),
            CreatedAt = mr.Time("created_at"),
            ClosedAt = mr.Time("closed_at"),
            MergedAt = mr.Time("merged_at"),
            SourceUpdatedAt = mr.Time("updated_at"),
            RawJson = JsonText.Of(mr),
        };
    }

    /// <summary>An item of <c>GET /merge_requests/:iid/commits</c>.</summary>
    public static CommitRecord Commit(JsonElement commit, string projectPath) => new()
    {
        RepoSlug = RepoSlug.Normalize(projectPath),
        Sha = commit.Str("id") ?? throw new JsonException("commit without an id"),
        Source = "api",
        Parents = [.. commit.Items("parent_ids").Select(p => p.GetString()).OfType<string>()],
        AuthorName = commit.Str("author_name"),
        AuthorEmail = commit.Str("author_email"),
        AuthorTs = commit.Time("authored_date"),
        CommitterName = commit.Str("committer_name"),
        CommitterEmail = commit.Str("committer_email"),
        CommitterTs = commit.Time("committed_date"),
        Message = commit.Str("message"),
    };

    /// <summary>An item of <c>GET /pipelines?sha=</c> (run_id <c>pipeline:&lt;id&gt;</c>).</summary>
    public static CiRunRecord Pipeline(JsonElement pipeline, string projectPath)
    {
        var status = CiStatus.FromGitLab(pipeline.Str("status"));
        return new CiRunRecord
        {
            Provider = CiProvider,
            RepoSlug = RepoSlug.Normalize(projectPath),
            RunId = "pipeline:" + Id(pipeline),
            CommitSha = pipeline.Str("sha"),
            Status = status,
            WorkflowName = pipeline.Str("name").NonEmpty(),
            Branch = pipeline.Str("ref"),
            Url = pipeline.Str("web_url"),
            StartedTs = pipeline.Time("started_at") ?? pipeline.Time("created_at"),
            CompletedTs = pipeline.Time("finished_at") ?? (CiStatus.IsFinal(status) ? pipeline.Time("updated_at") : null),
            SourceUpdatedAt = pipeline.Time("updated_at"),
            RawJson = pipeline.GetRawText(),
        };
    }

    /// <summary>An item of <c>GET /pipelines/:id/jobs</c> (run_id <c>job:&lt;id&gt;</c>).</summary>
    public static CiRunRecord Job(JsonElement job, string projectPath, string? pipelineSha) => new()
    {
        Provider = CiProvider,
        RepoSlug = RepoSlug.Normalize(projectPath),
        RunId = "job:" + Id(job),
        CommitSha = job.Str("commit", "id") ?? pipelineSha,
        Status = CiStatus.FromGitLab(job.Str("status")),
        WorkflowName = job.Str("name"),
        Branch = job.Str("ref"),
        Url = job.Str("web_url"),
        StartedTs = job.Time("started_at"),
        CompletedTs = job.Time("finished_at"),
        // Jobs carry no updated_at: their latest transition stands in for it.
        SourceUpdatedAt = job.Time("finished_at") ?? job.Time("started_at") ?? job.Time("created_at"),
        RawJson = job.GetRawText(),
    };

    private static string Id(JsonElement element) =>
        (element.Long("id") ?? throw new JsonException("object without an id")).ToString(CultureInfo.InvariantCulture);
}
