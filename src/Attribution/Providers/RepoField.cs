using System.Text.Json;
using Attribution.Common;
using Attribution.Store;

namespace Attribution.Providers;

/// <summary>The repository a payload names, which must be well-formed before anything is stored under it.</summary>
public static class RepoField
{
    /// <summary>The repository of a GitHub webhook payload: <c>repository.full_name</c>.</summary>
    public static string GitHubRepo(JsonElement root) =>
        RequiredRepo(PayloadJson.RequiredObject(root, "repository", "repository"), "full_name", "repository.full_name");

    /// <summary>The project of a GitLab webhook payload: <c>project.path_with_namespace</c> (<c>group/sub/name</c>).</summary>
    public static string GitLabRepo(JsonElement root) =>
        RequiredRepo(PayloadJson.RequiredObject(root, "project", "project"), "path_with_namespace", "project.path_with_namespace");

    /// <summary>A repository slug (<c>owner/name</c>, GitLab <c>group/sub/name</c>) that must be well-formed.</summary>
    private static string RequiredRepo(JsonElement element, string name, string path)
    {
        var slug = PayloadJson.RequiredString(element, name, path);
        return RepoSlug.IsValid(slug) ? slug : throw new PayloadShapeException(path, $"'{path}' must be a repository path like owner/name.");
    }
}
