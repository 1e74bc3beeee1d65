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

    [Fact]
    public void Cursor_RoundTripsAndRejectsGarbage()
    {
        var cursor = new BackfillCursor(3, Now, 42);

        BackfillCursor.TryParse(cursor.Serialize()).Should().Be(cursor);
        BackfillCursor.TryParse("not json").Should().BeNull();
        BackfillCursor.TryParse("{\"page\":0}").Should().BeNull();
    }
}
