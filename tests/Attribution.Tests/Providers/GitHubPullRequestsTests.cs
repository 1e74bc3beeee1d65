using Attribution.Providers;
using Attribution.Providers.GitHub;

namespace Attribution.Tests.Providers;

public sealed class GitHubPullRequestsTests
{
    [Theory]
    [InlineData("Reverts Codertocat/Hello-World#2", "codertocat/hello-world", 2L)]
    [InlineData("Reverts other/repo#17\n\nbecause it broke CI", "other/repo", 17L)]
    [InlineData("Reverts #5", "owner/name", 5L)]
    [InlineData("Fix the build\n  Reverts #6", "owner/name", 6L)]
    public void Reverts_Marker_IsFound(string body, string repo, long number)
    {
        GitHubPullRequests.Reverts(body, "Owner/Name").Should().Equal(new RevertTarget(repo, number));
    }

    [Fact]
    public void Reverts_SeveralMarkers_AllFoundOnce()
    {
        GitHubPullRequests.Reverts("Reverts a/b#1\nReverts #2\nReverts a/b#1", "o/r").Should().Equal(new RevertTarget("a/b", 1), new RevertTarget("o/r", 2));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("This reverts nothing")]
    [InlineData("See Reverts owner/name#3 later")]
    public void Reverts_NoMarkerAtALineStart_IsEmpty(string? body)
    {
        GitHubPullRequests.Reverts(body, "owner/name").Should().BeEmpty();
    }

    [Fact]
    public void Map_ListAnswerWithMergedAtOnly_IsMergedAsTheWebhookFlagWouldSay()
    {
        var hook = Fixture("github/pull_request.closed.not-merged.json");
        hook["pull_request"]!["merged"] = true;
        hook["pull_request"]!["merged_at"] = "2019-05-15T15:21:18Z";
        var rest = (System.Text.Json.Nodes.JsonObject)hook["pull_request"]!.DeepClone();
        rest.Remove("merged");

        var fromHook = GitHubPullRequests.Map(Element(hook["pull_request"]!), "Codertocat/Hello-World");
        var fromRest = GitHubPullRequests.Map(Element(rest), "Codertocat/Hello-World");

        fromHook.State.Should().Be("merged");
        fromRest.Should().BeEquivalentTo(fromHook, o => o.Excluding(r => r.RawJson));
        fromRest.MergeCommitSha.Should().NotBeNull();
    }

    [Fact]
    public void Map_ClosedWithTestMergeSha_IsClosedWithoutMergeCommit()
    {
        var pr = GitHubPullRequests.Map(Element(Fixture("github/pull_request.closed.not-merged.json")["pull_request"]!), "Codertocat/Hello-World");

        pr.State.Should().Be("closed");
        pr.MergeCommitSha.Should().BeNull();
        pr.MergedAt.Should().BeNull();
    }

    private static System.Text.Json.Nodes.JsonNode Fixture(string name) => Attribution.Tests.Backfill.BackfillHarness.Fixture(name);

    private static System.Text.Json.JsonElement Element(System.Text.Json.Nodes.JsonNode node) =>
        System.Text.Json.JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();
}
