using System.Text.Json;
using Attribution.Common;
using Attribution.Store;
using static Attribution.Common.PayloadJson;

namespace Attribution.Providers.GitLab;

/// <summary>
/// GitLab pipelines and jobs → <see cref="CiRunRow"/> (provider <c>gitlab-ci</c>), from <c>Pipeline Hook</c> and
/// <c>Job Hook</c> deliveries and from the REST lists <c>GET /pipelines?sha=</c> and <c>GET /pipelines/:id/jobs</c>.
/// The hooks name fields differently (a job hook's are <c>build_*</c>); ids, states and times follow one rule here.
/// </summary>
public static class GitLabCiRuns
{
    /// <summary>A <c>Pipeline Hook</c>: its <c>object_attributes</c> and the project's <c>web_url</c>.</summary>
    public static CiRunRow PipelineFromHook(JsonElement attributes, string projectPath, string? projectUrl)
    {
        var id = RequiredLong(attributes, "id", "object_attributes.id");
        return Pipeline(attributes, projectPath, id,
            status: RequiredString(attributes, "status", "object_attributes.status"),
            url: projectUrl is null ? null : $"{projectUrl.TrimEnd('/')}/-/pipelines/{id}");
    }

    /// <summary>An item of <c>GET /projects/:id/pipelines?sha=</c>.</summary>
    public static CiRunRow PipelineFromApi(JsonElement pipeline, string projectPath) =>
        Pipeline(pipeline, projectPath, RequiredLong(pipeline, "id", "pipelines[].id"), String(pipeline, "status"), String(pipeline, "web_url"));

    private static CiRunRow Pipeline(JsonElement pipeline, string projectPath, long id, string? status, string? url)
    {
        var normalised = CiStatus.FromGitLab(status);
        var finished = Timestamp(pipeline, "finished_at");
        // The REST list has updated_at; a hook has none, and its latest transition stands in for it.
        var updated = Timestamp(pipeline, "updated_at") ?? finished ?? Timestamp(pipeline, "created_at");
        return new CiRunRow
        {
            Provider = CiRunIds.GitLabCi,
            RepoSlug = RepoSlug.Normalize(projectPath),
            RunId = CiRunIds.Pipeline(id),
            CommitSha = String(pipeline, "sha"),
            Status = normalised,
            WorkflowName = NonEmpty(String(pipeline, "name")) ?? "pipeline",
            Branch = Bool(pipeline, "tag") == true ? null : String(pipeline, "ref"),
            Url = url,
            StartedTs = Timestamp(pipeline, "started_at") ?? Timestamp(pipeline, "created_at"),
            CompletedTs = finished ?? (CiStatus.IsFinal(normalised) ? updated : null),
            SourceUpdatedAt = updated,
            RawJson = pipeline.GetRawText(),
        };
    }

    /// <summary>A <c>Job Hook</c> (object_kind <c>build</c>): the payload itself, of the project <paramref name="projectPath"/>.</summary>
    public static CiRunRow JobFromHook(JsonElement root, string projectPath, string? projectUrl)
    {
        var id = RequiredLong(root, "build_id", "build_id");
        return Job(projectPath, id,
            status: RequiredString(root, "build_status", "build_status"),
            name: String(root, "build_name"),
            gitRef: Bool(root, "tag") == true ? null : String(root, "ref"),
            sha: String(root, "sha"),
            url: projectUrl is null ? null : $"{projectUrl.TrimEnd('/')}/-/jobs/{id}",
            started: Timestamp(root, "build_started_at"),
            finished: Timestamp(root, "build_finished_at"),
            created: Timestamp(root, "build_created_at"),
            raw: null); // the payload, not one object: nothing worth keeping beyond the columns
    }

    /// <summary>An item of <c>GET /projects/:id/pipelines/:pipeline_id/jobs</c>; <paramref name="pipelineSha"/> when it names no commit.</summary>
    public static CiRunRow JobFromApi(JsonElement job, string projectPath, string? pipelineSha) => Job(projectPath,
        RequiredLong(job, "id", "jobs[].id"),
        status: String(job, "status"),
        name: String(job, "name"),
        gitRef: Bool(job, "tag") == true ? null : String(job, "ref"),
        sha: String(Optional(job, "commit"), "id") ?? pipelineSha,
        url: String(job, "web_url"),
        started: Timestamp(job, "started_at"),
        finished: Timestamp(job, "finished_at"),
        created: Timestamp(job, "created_at"),
        raw: job.GetRawText());

    private static CiRunRow Job(string projectPath, long id, string? status, string? name, string? gitRef, string? sha, string? url,
        DateTimeOffset? started, DateTimeOffset? finished, DateTimeOffset? created, string? raw) => new()
    {
        Provider = CiRunIds.GitLabCi,
        RepoSlug = RepoSlug.Normalize(projectPath),
        RunId = CiRunIds.GitLabJob(id),
        CommitSha = sha,
        Status = CiStatus.FromGitLab(status),
        WorkflowName = name,
        Branch = gitRef,
        Url = url,
        StartedTs = started,
        CompletedTs = finished,
        // Jobs carry no updated_at: their latest transition stands in for it.
        SourceUpdatedAt = finished ?? started ?? created,
        RawJson = raw,
    };

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
