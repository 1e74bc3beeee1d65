using Attribution.Common;

namespace Attribution.Tests.Common;

/// <summary>Every value the four former parsers (API, backfill, linking, yield period) accepted, and what they refused.</summary>
public sealed class SinceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("30d", "2026-10-26T12:00:00Z")]
    [InlineData("12h", "2026-11-25T00:00:00Z")]
    [InlineData("45m", "2026-11-25T11:15:00Z")]
    [InlineData("2w", "2026-11-11T12:00:00Z")]
    [InlineData("7D", "2026-11-18T12:00:00Z")]
    [InlineData(" 1D ", "2026-11-24T12:00:00Z")]
    [InlineData("1.5d", "2026-11-24T00:00:00Z")]
    [InlineData("today", "2026-11-25T00:00:00Z")]
    [InlineData("2026-11-01", "2026-11-01T00:00:00Z")]
    [InlineData("2026-01-02", "2026-01-02T00:00:00Z")]
    [InlineData("2026-11-01T08:30:00Z", "2026-11-01T08:30:00Z")]
    [InlineData("2026-11-01T08:30:00+02:00", "2026-11-01T06:30:00Z")]
    public void TryParse_Accepted_GivesTheStart(string text, string expected)
    {
        Since.TryParse(text, Now, out var since, out _).Should().BeTrue();

        since!.From.Should().Be(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("all")]
    [InlineData("ALL")]
    public void TryParse_All_HasNoStart(string text)
    {
        Since.TryParse(text, Now, out var since, out _).Should().BeTrue();

        since!.From.Should().BeNull();
        since.Name.Should().Be("all");
        since.SpanBefore(Now).Should().BeNull();
    }

    [Fact]
    public void TryParse_Duration_NameIsLowerCased() => Since.Parse("30D", Now)!.Name.Should().Be("30d");

    [Fact]
    public void SpanBefore_Duration_IsTheDuration() => Since.Parse("2w", Now)!.SpanBefore(Now).Should().Be(TimeSpan.FromDays(14));

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("30")]
    [InlineData("7")]
    [InlineData("d")]
    [InlineData("0d")]
    [InlineData("-3d")]
    [InlineData("+3d")]
    [InlineData("3y")]
    [InlineData("1e3d")]
    [InlineData(".5d")]
    [InlineData("99999d")]
    [InlineData("99999999d")]
    [InlineData("yesterday")]
    [InlineData("week")]
    [InlineData("thirty days")]
    [InlineData("2026")]
    [InlineData("2026-13-01")]
    [InlineData("2099-01-01")]
    public void TryParse_Rejected_SaysWhy(string text)
    {
        Since.TryParse(text, Now, out var since, out var error).Should().BeFalse();

        since.Should().BeNull();
        error.Should().EndWith(Since.Rule);
    }

    [Fact]
    public void TryParse_FutureDate_SaysItIsInTheFuture()
    {
        Since.TryParse("2099-01-01", Now, out _, out var error).Should().BeFalse();

        error.Should().StartWith("'2099-01-01' is in the future.");
    }
}
