using System.Text.Json;
using Attribution.Common;
using Attribution.Providers.GitLab;
using Attribution.Store;
using static Attribution.Common.PayloadJson;
using static Attribution.Providers.RepoField;

namespace Attribution.Webhooks;

/// <summary>GitLab <c>Pipeline Hook</c> and <c>Job Hook</c> (object_kind <c>build</c>) → <c>ci_runs</c>, mapped by <see cref="GitLabCiRuns"/>.</summary>
public static class GitLabCiHandler
{
    public static ParsedDelivery Parse(JsonElement root)
    {
        return String(root, "object_kind") == "pipeline" ? Pipeline(root) : Job(root);
    }

    private static ParsedDelivery Pipeline(JsonElement root)
    {
        var attributes = RequiredObject(root, "object_attributes", "object_attributes");
        var repo = GitLabRepo(root);
        var run = GitLabCiRuns.PipelineFromHook(attributes, repo, String(Optional(root, "project"), "web_url"));
        return new ParsedDelivery(String(attributes, "status"), repo, new CiRunEffect(run));
    }

    private static ParsedDelivery Job(JsonElement root)
    {
        var homepage = String(Optional(root, "repository"), "homepage");
        // Job hooks carry project.path_with_namespace only in recent versions; the repository homepage names it in all.
        var repo = (String(Optional(root, "project"), "path_with_namespace") is { } path && RepoSlug.IsValid(path) ? path : null)
            ?? GitLabCiRuns.SlugFromUrl(homepage)
            ?? throw new PayloadShapeException("project.path_with_namespace", "the job's project cannot be determined (no project.path_with_namespace or repository.homepage).");
        var run = GitLabCiRuns.JobFromHook(root, repo, homepage);
        return new ParsedDelivery(String(root, "build_status"), repo, new CiRunEffect(run));
    }
}
