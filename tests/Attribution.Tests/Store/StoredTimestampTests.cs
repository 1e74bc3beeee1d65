using System.Globalization;
using Attribution.Store;

namespace Attribution.Tests.Store;

/// <summary>
/// Timestamps as the store writes and reads them: the fixed-width form read digit by digit gives what the general
/// parser gives, and text in any other form (older rows, PostgreSQL's own output, hand-written values) still reads.
/// </summary>
public sealed class StoredTimestampTests
{
    [Theory]
    [InlineData("2026-11-25T00:06:16.1234567Z")]
    [InlineData("2024-02-29T23:59:59.9999999Z")]
    [InlineData("0001-01-01T00:00:00.0000000Z")]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    public void Parse_StoredForm_SameInstantAsTheGeneralParser(string text)
    {
        var general = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

        var parsed = DapperSetup.Parse(text);

        parsed.Should().Be(general);
        parsed.Offset.Should().Be(TimeSpan.Zero);
        DapperSetup.Format(parsed).Should().Be(text, "the stored form reads back to itself");
    }

    [Theory]
    [InlineData("2026-11-25T00:06:16Z", "2026-11-25T00:06:16.0000000Z")]
    [InlineData("2026-11-25T01:06:16.5+01:00", "2026-11-25T00:06:16.5000000Z")]
    [InlineData("2026-11-25 00:06:16.1234567", "2026-11-25T00:06:16.1234567Z")]
    [InlineData("2026-11-25T00:06:16.123456Z", "2026-11-25T00:06:16.1234560Z")]
    public void Parse_OtherForms_ReadByTheGeneralParser(string text, string stored)
    {
        DapperSetup.Format(DapperSetup.Parse(text)).Should().Be(stored);
    }

    [Theory]
    [InlineData("2026-13-25T00:06:16.1234567Z")]
    [InlineData("2026-02-30T00:06:16.1234567Z")]
    [InlineData("2026-11-25T24:06:16.1234567Z")]
    [InlineData("2026-11-25T00:06:1x.1234567Z")]
    [InlineData("2026-11-25T00:06:16.12345-7Z")]
    public void Parse_StoredWidthButNoDate_Refused(string text)
    {
        var read = () => DapperSetup.Parse(text);

        read.Should().Throw<FormatException>();
    }
}
