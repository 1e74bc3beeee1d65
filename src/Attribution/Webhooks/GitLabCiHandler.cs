using Attribution.Common;
using System.Text.Json;
using Attribution.Store;
using static Attribution.Webhooks.PayloadJson;

namespace Attribution.Webhooks;

/// <summary>GitLab <c>Pipeline Hook</c> and <c>Job Hook</c> (object_kind <c>build</c>) → <c>ci_runs</c> (provider <c>gitlab-ci</c>).</summary>
public static class GitLabCiHandler
{
    public static ParsedDelivery Parse(JsonElement root)
    {
        return String(root, "object_kind") == "pipeline" ? Pipeline(root) : Job(root);
    }

    private static ParsedDelivery Pipeline(JsonElement root)
    {
        var attributes = RequiredObject(root, "object_attributes", "object_attributes");
        var project = RequiredObject(root, "project", "project");
        var repo = RequiredRepo(project, "path_with_namespace", "project.path_with_namespace");
        var id = RequiredLong(attributes, "id", "object_attributes.id");
        var status = RequiredString(attributes, "status", "object_attributes.status");
        var started = Timestamp(attributes, "created_at");
        var finished = Timestamp(attributes, "finished_at");
        var webUrl = String(project, "web_url");
        var run = new CiRunRecord
        {
            Provider = CiRunIds.GitLabCi,
            RepoSlug = repo,
            RunId = CiRunIds.Pipeline(id),
            CommitSha = String(attributes, "sha"),
            Status = CiStatus.FromGitLab(status),
            WorkflowName = String(attributes, "name") ?? "pipeline",
            Branch = Bool(attributes, "tag") == true ? null : String(attributes, "ref"),
            Url = webUrl is null ? null : $"{webUrl.TrimEnd('/')}/-/pipelines/{id}",
            StartedTs = started,
            CompletedTs = finished,
            SourceUpdatedAt = finished ?? started,
            RawJson = attributes.GetRawText(),
        };
        return new ParsedDelivery(status, repo, new CiRunEffect(run));
    }

    private static ParsedDelivery Job(JsonElement root)
    {
        var id = RequiredLong(root, "build_id", "build_id");
        var status = RequiredString(root, "build_status", "build_status");
        var homepage = Optional(root, "repository") is { } repository ? String(repository, "homepage") : null;
        // Job hooks carry project.path_with_namespace only in recent versions; the repository homepage names it in all.
        var repo = (Optional(root, "project") is { } project && String(project, "path_with_namespace") is { } path && RepoSlug.IsValid(path) ? path : null)
            ?? SlugFromUrl(homepage)
            ?? throw new PayloadShapeException("project.path_with_namespace", "the job's project cannot be determined (no project.path_with_namespace or repository.homepage).");
        var started = Timestamp(root, "build_started_at");
        var finished = Timestamp(root, "build_finished_at");
        var run = new CiRunRecord
        {
            Provider = CiRunIds.GitLabCi,
            RepoSlug = repo,
            RunId = CiRunIds.GitLabJob(id),
            CommitSha = String(root, "sha"),
            Status = CiStatus.FromGitLab(status),
            WorkflowName = String(root, "build_name"),
            Branch = Bool(root, "tag") == true ? null : String(root, "ref"),
            Url = homepage is null ? null : $"{homepage.TrimEnd('/')}/-/jobs/{id}",
            StartedTs = started,
            CompletedTs = finished,
            SourceUpdatedAt = finished ?? started ?? Timestamp(root, "build_created_at"),
            RawJson = null,
        };
        return new ParsedDelivery(status, repo, new CiRunEffect(run));
    }

    /// <summary><c>https://gitlab.com/group/sub/name</c> → <c>group/sub/name</c>.</summary>
    public static string? SlugFromUrl(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.EndsWith(".git", StringComparison.Ordinal))
        {
            path = path[..^4];
        }

        return RepoSlug.IsValid(path) ? path : null;
    }
}
