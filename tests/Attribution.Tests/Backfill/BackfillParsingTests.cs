using Attribution.Backfill;

namespace Attribution.Tests.Backfill;

public sealed class BackfillParsingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Cursor_RoundTripsAndRejectsGarbage()
    {
        var cursor = new BackfillCursor(3, Now, 42);

        BackfillCursor.TryParse(cursor.Serialize()).Should().Be(cursor);
        BackfillCursor.TryParse("not json").Should().BeNull();
        BackfillCursor.TryParse("{\"page\":0}").Should().BeNull();
    }
}
