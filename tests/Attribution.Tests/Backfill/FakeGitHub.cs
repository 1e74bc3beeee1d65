using System.Text.Json.Nodes;

namespace Attribution.Tests.Backfill;

/// <summary>
/// A fake GitHub REST API for Codertocat/Hello-World built from the real webhook fixtures (PR, check run,
/// workflow run and status objects are the same shapes in REST answers): three PRs over two pages.
/// </summary>
public static class FakeGitHub
{
    public const string Repo = "Codertocat/Hello-World";
    public const string Base = "/api/v3/repos/Codertocat/Hello-World";
    public const string HeadSha2 = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
    public const string HeadSha1 = "b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1";
    public const string HeadSha3 = "a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3";
    public const string MergeSha3 = "3333333333333333333333333333333333333333";

    public static JsonObject Pr2()
    {
        var pr = (JsonObject)BackfillHarness.Fixture("github/pull_request.closed.not-merged.json")["pull_request"]!.DeepClone();
        pr.Remove("merged"); // list answers carry merged_at only
        return pr;
    }

    public static JsonObject Pr1()
    {
        var pr = (JsonObject)BackfillHarness.Fixture("github/pull_request.opened.json")["pull_request"]!.DeepClone();
        pr.Remove("merged");
        pr["number"] = 1;
        pr["html_url"] = "https://github.com/Codertocat/Hello-World/pull/1";
        pr["updated_at"] = "2019-05-15T15:20:00Z";
        pr["head"]!["sha"] = HeadSha1;
        pr["head"]!["ref"] = "feature-1";
        return pr;
    }

    public static JsonObject Pr3()
    {
        var pr = (JsonObject)BackfillHarness.Fixture("github/pull_request.opened.json")["pull_request"]!.DeepClone();
        pr.Remove("merged");
        pr["number"] = 3;
        pr["state"] = "closed";
        pr["title"] = "Revert \"Update the README with new information.\"";
        pr["body"] = "Reverts Codertocat/Hello-World#2";
        pr["html_url"] = "https://github.com/Codertocat/Hello-World/pull/3";
        pr["created_at"] = "2019-05-16T09:00:00Z";
        pr["merged_at"] = "2019-05-16T10:00:00Z";
        pr["closed_at"] = "2019-05-16T10:00:00Z";
        pr["updated_at"] = "2019-05-16T10:00:05Z";
        pr["merge_commit_sha"] = MergeSha3;
        pr["head"]!["sha"] = HeadSha3;
        pr["head"]!["ref"] = "revert-2-changes";
        return pr;
    }

    public static JsonObject Commit(string sha, string message, string parent)
    {
        var push = BackfillHarness.Fixture("github/push.branch-updated.json")["commits"]![0]!;
        return new JsonObject
        {
            ["sha"] = sha,
            ["commit"] = new JsonObject
            {
                ["author"] = new JsonObject { ["name"] = push["author"]!["name"]!.GetValue<string>(), ["email"] = push["author"]!["email"]!.GetValue<string>(), ["date"] = "2019-05-15T15:19:00Z" },
                ["committer"] = new JsonObject { ["name"] = "GitHub", ["email"] = "noreply@github.com", ["date"] = "2019-05-15T15:19:30Z" },
                ["message"] = message,
            },
            ["parents"] = new JsonArray(new JsonObject { ["sha"] = parent }),
        };
    }

    public static JsonObject CheckRun() => (JsonObject)BackfillHarness.Fixture("github/check_run.completed.json")["check_run"]!.DeepClone();

    public static JsonObject WorkflowRun(string sha)
    {
        var run = (JsonObject)BackfillHarness.Fixture("github/workflow_run.completed.json")["workflow_run"]!.DeepClone();
        run["head_sha"] = sha;
        return run;
    }

    /// <summary>A REST status item from the status webhook's fields (the REST item has no sha).</summary>
    public static JsonObject Status()
    {
        var hook = BackfillHarness.Fixture("github/status.success.json");
        return new JsonObject
        {
            ["id"] = hook["id"]!.GetValue<long>(),
            ["state"] = hook["state"]!.GetValue<string>(),
            ["context"] = hook["context"]!.GetValue<string>(),
            ["description"] = null,
            ["target_url"] = "https://ci.example.com/1",
            ["created_at"] = hook["created_at"]!.GetValue<string>(),
            ["updated_at"] = hook["updated_at"]!.GetValue<string>(),
        };
    }

    public static string Link(BackfillHarness h, string path, int page, string rel) => $"<{h.Server.Url}{path}?state=all&sort=updated&direction=desc&per_page=100&page={page}>; rel=\"{rel}\"";

    /// <summary>The whole fake API; <paramref name="page2"/> false leaves page 2 of the PR list to the test.</summary>
    public static void Arrange(BackfillHarness h, bool page2 = true)
    {
        var pulls = Base + "/pulls";
        h.Json(pulls, new JsonArray(Pr3(), Pr2()), query: new() { ["page"] = "1" },
            headers: new() { ["Link"] = $"{Link(h, pulls, 2, "next")}, {Link(h, pulls, 2, "last")}" });
        if (page2)
        {
            h.Json(pulls, new JsonArray(Pr1()), query: new() { ["page"] = "2" }, headers: new() { ["Link"] = Link(h, pulls, 1, "prev") });
        }

        // PR 3's commits come in two pages.
        h.Json(Base + "/pulls/3/commits", new JsonArray(Commit("c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c1", "Revert step 1", HeadSha2)),
            headers: new() { ["Link"] = $"<{h.Server.Url}{Base}/pulls/3/commits?per_page=100&page=2>; rel=\"next\"" }, priority: 5);
        h.Json(Base + "/pulls/3/commits", new JsonArray(Commit(HeadSha3, "Revert \"Update the README with new information.\"\n\nThis reverts commit 199edd.", "c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c1")),
            query: new() { ["page"] = "2" }, priority: 1);
        h.Json(Base + "/pulls/2/commits", new JsonArray(Commit(HeadSha2, "Update README", "199eddf46df50de8d02e99bf1c5fdb4101338224")));
        h.Json(Base + "/pulls/1/commits", new JsonArray(Commit(HeadSha1, "Feature one", HeadSha2)));

        h.Json($"{Base}/commits/{HeadSha2}/check-runs", new JsonObject { ["total_count"] = 1, ["check_runs"] = new JsonArray(CheckRun()) }, priority: 5);
        h.Json($"{Base}/actions/runs", new JsonObject { ["total_count"] = 1, ["workflow_runs"] = new JsonArray(WorkflowRun(HeadSha2)) }, query: new() { ["head_sha"] = HeadSha2 }, priority: 5);
        h.Json($"{Base}/commits/{HeadSha2}/statuses", new JsonArray(Status()), priority: 5);

        var running = WorkflowRun(MergeSha3);
        running["id"] = 999;
        running["status"] = "in_progress";
        running["conclusion"] = null;
        running["updated_at"] = "2019-05-16T10:01:00Z";
        h.Json($"{Base}/actions/runs", new JsonObject { ["total_count"] = 1, ["workflow_runs"] = new JsonArray(running) }, query: new() { ["head_sha"] = MergeSha3 }, priority: 5);

        // Everything else: no CI.
        foreach (var sha in new[] { HeadSha1, HeadSha3, MergeSha3 })
        {
            h.Json($"{Base}/commits/{sha}/check-runs", new JsonObject { ["total_count"] = 0, ["check_runs"] = new JsonArray() }, priority: 20);
            h.Json($"{Base}/commits/{sha}/statuses", new JsonArray(), priority: 20);
        }

        h.Json($"{Base}/actions/runs", new JsonObject { ["total_count"] = 0, ["workflow_runs"] = new JsonArray() }, priority: 20);
    }
}
