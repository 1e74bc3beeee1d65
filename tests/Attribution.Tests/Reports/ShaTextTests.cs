using Attribution.Api;
using Attribution.Reports;

namespace Attribution.Tests.Reports;

public sealed class ShaTextTests
{
    [Theory]
    [InlineData("abcdef1", true)]
    [InlineData("ABCDEF1", true)]
    [InlineData("0123456789abcdef0123456789abcdef01234567", true)]
    [InlineData("abcdef", false)]
    [InlineData("0123456789abcdef0123456789abcdef012345678", false)]
    [InlineData("xyz", false)]
    [InlineData("abcdefg", false)]
    [InlineData("../abcdef", false)]
    [InlineData("abcdef1%", false)]
    public void IsValid_SevenToFortyHexOnly(string text, bool valid)
    {
        ShaText.IsValid(text).Should().Be(valid);
    }
}
