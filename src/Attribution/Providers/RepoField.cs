using System.Text.Json;
using Attribution.Common;
using Attribution.Store;

namespace Attribution.Providers;

/// <summary>The repository a payload names, which must be well-formed before anything is stored under it.</summary>
public static class RepoField
{
    /// <summary>A repository slug (<c>owner/name</c>, GitLab <c>group/sub/name</c>) that must be well-formed.</summary>
    public static string RequiredRepo(JsonElement element, string name, string path)
    {
        var slug = PayloadJson.RequiredString(element, name, path);
        return RepoSlug.IsValid(slug) ? slug : throw new PayloadShapeException(path, $"'{path}' must be a repository path like owner/name.");
    }
}
