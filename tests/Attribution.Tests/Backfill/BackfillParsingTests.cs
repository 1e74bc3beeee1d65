using Attribution.Backfill;

namespace Attribution.Tests.Backfill;

public sealed class BackfillParsingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("completed", "success", "success")]
    [InlineData("completed", "neutral", "success")]
    [InlineData("completed", "failure", "failure")]
    [InlineData("completed", "timed_out", "failure")]
    [InlineData("completed", "action_required", "failure")]
    [InlineData("completed", "cancelled", "cancelled")]
    [InlineData("completed", "skipped", "skipped")]
    [InlineData("in_progress", null, "in_progress")]
    [InlineData("queued", null, "pending")]
    public void CiStatus_GitHubChecks_Normalise(string status, string? conclusion, string expected)
    {
        CiStatus.FromGitHubCheck(status, conclusion).Should().Be(expected);
    }

    [Theory]
    [InlineData("success", "success")]
    [InlineData("failed", "failure")]
    [InlineData("canceled", "cancelled")]
    [InlineData("skipped", "skipped")]
    [InlineData("running", "in_progress")]
    [InlineData("created", "pending")]
    [InlineData("manual", "pending")]
    public void CiStatus_GitLab_Normalise(string status, string expected)
    {
        CiStatus.FromGitLab(status).Should().Be(expected);
    }

    [Theory]
    [InlineData("error", "failure")]
    [InlineData("failure", "failure")]
    [InlineData("pending", "pending")]
    [InlineData("success", "success")]
    public void CiStatus_GitHubStatuses_Normalise(string state, string expected)
    {
        CiStatus.FromGitHubStatus(state).Should().Be(expected);
    }

    [Theory]
    [InlineData("Reverts Codertocat/Hello-World#2", "codertocat/hello-world", 2L)]
    [InlineData("Reverts other/repo#17\n\nbecause it broke CI", "other/repo", 17L)]
    [InlineData("Reverts #5", "owner/name", 5L)]
    public void RevertReference_Marker_IsFound(string body, string repo, long number)
    {
        RevertReference.Parse(body, "owner/name").Should().Be((repo, number));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("This reverts nothing")]
    [InlineData("See Reverts owner/name#3 later")]
    public void RevertReference_NoMarker_IsNull(string? body)
    {
        RevertReference.Parse(body, "owner/name").Should().BeNull();
    }

    [Fact]
    public void NewestTruth_Decides_ByProviderUpdatedAt()
    {
        var t = Now;
        NewestTruth.Decide(false, null, null, t, "{}").Should().Be(UpsertOutcome.Inserted);
        NewestTruth.Decide(true, t, "{}", t.AddSeconds(1), "{}").Should().Be(UpsertOutcome.Updated);
        NewestTruth.Decide(true, t, "{\"a\":1}", t, "{\"a\":2}").Should().Be(UpsertOutcome.Updated, "equal time: the same truth may refresh");
        NewestTruth.Decide(true, t, "{}", t, "{}").Should().Be(UpsertOutcome.Unchanged);
        NewestTruth.Decide(true, t, "{}", t.AddSeconds(-1), "{\"x\":1}").Should().Be(UpsertOutcome.Stale);
        NewestTruth.Decide(true, t, "{}", null, "{}").Should().Be(UpsertOutcome.Stale);
    }

    [Fact]
    public void Cursor_RoundTripsAndRejectsGarbage()
    {
        var cursor = new BackfillCursor(3, Now, 42);

        BackfillCursor.TryParse(cursor.Serialize()).Should().Be(cursor);
        BackfillCursor.TryParse("not json").Should().BeNull();
        BackfillCursor.TryParse("{\"page\":0}").Should().BeNull();
    }
}
