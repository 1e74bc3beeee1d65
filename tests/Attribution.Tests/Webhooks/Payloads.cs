using System.Text;
using System.Text.Json.Nodes;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Webhooks;

/// <summary>Fixture payloads, optionally moved to another repository so tests sharing one database do not meet.</summary>
public static class Payloads
{
    public static byte[] Raw(string fixture) => FixtureFiles.ReadFixture(fixture);

    public static JsonObject Node(string fixture) => JsonNode.Parse(Raw(fixture))!.AsObject();

    /// <summary>The GitHub fixture with <c>repository.full_name</c> set to <paramref name="repo"/>.</summary>
    public static byte[] GitHub(string fixture, string repo, Action<JsonObject>? edit = null)
    {
        var node = Node(fixture);
        node["repository"]!["full_name"] = repo;
        edit?.Invoke(node);
        return Bytes(node);
    }

    /// <summary>The GitLab fixture with <c>project.path_with_namespace</c> set to <paramref name="repo"/>.</summary>
    public static byte[] GitLab(string fixture, string repo, Action<JsonObject>? edit = null)
    {
        var node = Node(fixture);
        if (node["project"] is JsonObject project)
        {
            project["path_with_namespace"] = repo;
        }

        edit?.Invoke(node);
        return Bytes(node);
    }

    public static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    public static string UniqueRepo(string prefix = "test") => $"{prefix}-{Guid.NewGuid():N}"[..20] + "/hello-world";
}
