using System.Text.Json.Nodes;

namespace Attribution.Tests.Backfill;

/// <summary>
/// A fake GitLab REST v4 API for gitlab-org/hello-world, its objects carrying the values of the real GitLab
/// webhook fixtures in REST shape: three merge requests over two pages (X-Next-Page), one pipeline with jobs.
/// </summary>
public static class FakeGitLab
{
    public const string Project = "gitlab-org/hello-world";
    public const string Base = "/api/v4/projects/gitlab-org%2Fhello-world";
    public const string HeadSha1 = "c4c79227ed610f1151f05bbc5be33b4f340d39c8";
    public const string MergeSha1 = "78a76ee6b4992a6baf64c59fc4c44c7323d60438";
    public const string HeadSha2 = "0ab96a10266b95b4b533dcfd98738015fbe70889";
    public const string HeadSha3 = "d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3";

    public static JsonObject Mr1()
    {
        var hook = BackfillHarness.Fixture("gitlab/merge_request.merge.json");
        var oa = hook["object_attributes"]!;
        return new JsonObject
        {
            ["id"] = oa["id"]!.GetValue<long>(),
            ["iid"] = 1,
            ["project_id"] = 1,
            ["title"] = oa["title"]!.GetValue<string>(),
            ["description"] = oa["description"]!.GetValue<string>(),
            ["state"] = "merged",
            ["created_at"] = "2017-12-10T17:01:11.000Z",
            ["updated_at"] = "2017-12-10T17:08:07.000Z",
            ["merged_at"] = "2017-12-10T17:08:06.000Z",
            ["closed_at"] = null,
            ["target_branch"] = oa["target_branch"]!.GetValue<string>(),
            ["source_branch"] = oa["source_branch"]!.GetValue<string>(),
            ["author"] = new JsonObject { ["id"] = 51764, ["username"] = hook["user"]!["username"]!.GetValue<string>(), ["name"] = hook["user"]!["name"]!.GetValue<string>() },
            ["sha"] = HeadSha1,
            ["merge_commit_sha"] = oa["merge_commit_sha"]!.GetValue<string>(),
            ["squash_commit_sha"] = null,
            ["web_url"] = oa["url"]!.GetValue<string>(),
        };
    }

    public static JsonObject Mr(int iid, string state, string sha, string updated, string branch)
    {
        var mr = Mr1();
        mr["id"] = 1000 + iid;
        mr["iid"] = iid;
        mr["state"] = state;
        mr["sha"] = sha;
        mr["updated_at"] = updated;
        mr["created_at"] = updated;
        mr["merged_at"] = null;
        mr["merge_commit_sha"] = null;
        mr["closed_at"] = state == "closed" ? updated : null;
        mr["source_branch"] = branch;
        mr["title"] = $"MR {iid}";
        mr["web_url"] = $"https://gitlab.com/gitlab-org/hello-world/merge_requests/{iid}";
        return mr;
    }

    public static JsonObject Commit(string sha, string message) => new()
    {
        ["id"] = sha,
        ["short_id"] = sha[..8],
        ["title"] = message.Split('\n')[0],
        ["message"] = message,
        ["author_name"] = "Sid Sijbrandij",
        ["author_email"] = "noreply@gitlab.com",
        ["authored_date"] = "2017-12-10T16:28:36.000Z",
        ["committer_name"] = "Sid Sijbrandij",
        ["committer_email"] = "noreply@gitlab.com",
        ["committed_date"] = "2017-12-10T16:28:40.000Z",
        ["parent_ids"] = new JsonArray("ba3e0d8ff79c80d5b0bbb4f3e2e343e0aaa662b7"),
    };

    /// <summary>The pipeline webhook fixture's pipeline and builds, in REST shape, on MR 1's head commit.</summary>
    public static (JsonObject Pipeline, JsonArray Jobs) Pipeline()
    {
        var hook = BackfillHarness.Fixture("gitlab/pipeline.success.json");
        var oa = hook["object_attributes"]!;
        var pipeline = new JsonObject
        {
            ["id"] = oa["id"]!.GetValue<long>(),
            ["iid"] = oa["iid"]!.GetValue<long>(),
            ["project_id"] = 1,
            ["sha"] = HeadSha1,
            ["ref"] = oa["ref"]!.GetValue<string>(),
            ["status"] = oa["status"]!.GetValue<string>(),
            ["source"] = oa["source"]!.GetValue<string>(),
            ["created_at"] = "2016-08-12T15:23:28.000Z",
            ["updated_at"] = "2016-08-12T15:26:29.000Z",
            ["web_url"] = "https://gitlab.com/gitlab-org/hello-world/-/pipelines/31",
        };
        var jobs = new JsonArray();
        foreach (var build in hook["builds"]!.AsArray())
        {
            jobs.Add(new JsonObject
            {
                ["id"] = build!["id"]!.GetValue<long>(),
                ["name"] = build["name"]!.GetValue<string>(),
                ["stage"] = build["stage"]!.GetValue<string>(),
                ["status"] = build["status"]!.GetValue<string>(),
                ["ref"] = oa["ref"]!.GetValue<string>(),
                ["created_at"] = Iso(build["created_at"]),
                ["started_at"] = Iso(build["started_at"]),
                ["finished_at"] = Iso(build["finished_at"]),
                ["web_url"] = $"https://gitlab.com/gitlab-org/hello-world/-/jobs/{build["id"]}",
                ["commit"] = new JsonObject { ["id"] = HeadSha1 },
                ["pipeline"] = new JsonObject { ["id"] = pipeline["id"]!.GetValue<long>() },
            });
        }

        return (pipeline, jobs);
    }

    private static string? Iso(JsonNode? webhookTime) =>
        webhookTime?.GetValue<string>() is { } text ? text.Replace(" UTC", "Z", StringComparison.Ordinal).Replace(' ', 'T') : null;

    public static void Arrange(BackfillHarness h, bool page2 = true)
    {
        h.Json(Base + "/merge_requests", new JsonArray(Mr1(), Mr(2, "opened", HeadSha2, "2017-12-09T10:00:00.000Z", "next-feature")),
            query: new() { ["page"] = "1" }, headers: new() { ["X-Next-Page"] = "2", ["X-Page"] = "1", ["X-Total-Pages"] = "2" });
        if (page2)
        {
            h.Json(Base + "/merge_requests", new JsonArray(Mr(3, "closed", HeadSha3, "2017-12-08T10:00:00.000Z", "dead-end")),
                query: new() { ["page"] = "2" }, headers: new() { ["X-Next-Page"] = "", ["X-Page"] = "2", ["X-Total-Pages"] = "2" });
        }

        h.Json(Base + "/merge_requests/1/commits", new JsonArray(Commit(HeadSha1, "update readme\n")));
        h.Json(Base + "/merge_requests/2/commits", new JsonArray(Commit(HeadSha2, "Update client.go")));
        h.Json(Base + "/merge_requests/3/commits", new JsonArray(Commit(HeadSha3, "Dead end")));

        var (pipeline, jobs) = Pipeline();
        h.Json(Base + "/pipelines", new JsonArray(pipeline), query: new() { ["sha"] = HeadSha1 }, priority: 5);
        h.Json(Base + "/pipelines", new JsonArray(), priority: 20);
        // The jobs come in two pages, linked with X-Next-Page.
        h.Json(Base + "/pipelines/31/jobs", new JsonArray(jobs[0]!.DeepClone()), headers: new() { ["X-Next-Page"] = "2" }, priority: 5);
        h.Json(Base + "/pipelines/31/jobs", new JsonArray([.. jobs.Skip(1).Select(j => j!.DeepClone())]), query: new() { ["page"] = "2" }, headers: new() { ["X-Next-Page"] = "" }, priority: 1);
    }
}
