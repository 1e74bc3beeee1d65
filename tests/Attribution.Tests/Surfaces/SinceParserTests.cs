using Attribution.Api;

namespace Attribution.Tests.Surfaces;

public sealed class SinceParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("30d", "2026-10-26T12:00:00Z")]
    [InlineData("12h", "2026-11-25T00:00:00Z")]
    [InlineData("45m", "2026-11-25T11:15:00Z")]
    [InlineData("2w", "2026-11-11T12:00:00Z")]
    [InlineData("7D", "2026-11-18T12:00:00Z")]
    [InlineData("2026-11-01", "2026-11-01T00:00:00Z")]
    [InlineData("2026-11-01T08:30:00Z", "2026-11-01T08:30:00Z")]
    [InlineData("2026-11-01T08:30:00+02:00", "2026-11-01T06:30:00Z")]
    public void TryParse_Accepted_GivesTheInstant(string text, string expected)
    {
        SinceParser.TryParse(text, Now, out var since).Should().BeTrue();

        since.Should().Be(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("30")]
    [InlineData("d")]
    [InlineData("0d")]
    [InlineData("-3d")]
    [InlineData("3y")]
    [InlineData("1.5d")]
    [InlineData("99999999d")]
    [InlineData("yesterday")]
    [InlineData("2026")]
    [InlineData("2026-13-01")]
    public void TryParse_Rejected_ReturnsFalse(string text)
    {
        SinceParser.TryParse(text, Now, out _).Should().BeFalse();
    }
}
