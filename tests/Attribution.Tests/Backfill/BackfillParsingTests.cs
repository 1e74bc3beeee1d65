using Attribution.Backfill;

namespace Attribution.Tests.Backfill;

public sealed class BackfillParsingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("30d", 30 * 24)]
    [InlineData("12h", 12)]
    [InlineData("2w", 14 * 24)]
    [InlineData(" 1D ", 24)]
    public void Since_Span_CountsBackFromNow(string text, int hours)
    {
        SinceParser.TryParse(text, Now, out var since).Should().BeTrue();
        since.Should().Be(Now.AddHours(-hours));
    }

    [Fact]
    public void Since_IsoDate_IsTakenAsUtc()
    {
        SinceParser.TryParse("2026-01-02", Now, out var since).Should().BeTrue();
        since.Should().Be(new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero));
    }

    [Theory]
    [InlineData("")]
    [InlineData("thirty days")]
    [InlineData("0d")]
    [InlineData("-3d")]
    [InlineData("30y")]
    [InlineData("2099-01-01")]
    [InlineData("d")]
    public void Since_Invalid_IsRejected(string text)
    {
        SinceParser.TryParse(text, Now, out _).Should().BeFalse();
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
