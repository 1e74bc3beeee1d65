using Attribution.Linking;

namespace Attribution.Tests.Linking;

public sealed class LinkCalibrationTests
{
    private static readonly LinkCalibration Table = LinkCalibration.Parse("""{"types": {"inferred-by-touch": [[0.2, 0.05], [0.5, 0.05], [0.6, 0.85], [0.9, 0.95]]}}""");

    [Theory]
    [InlineData(0.0, 0.05)]
    [InlineData(0.5, 0.05)]
    [InlineData(0.55, 0.45)]
    [InlineData(0.75, 0.9)]
    [InlineData(0.99, 0.95)]
    public void Apply_FittedType_MonotoneMapWithLinearSteps(double raw, double expected)
    {
        Table.Apply("inferred-by-touch", raw).Should().BeApproximately(expected, 0.001);
    }

    [Fact]
    public void Apply_RuleWithItsOwnTable_ReadsIt_OtherRulesReadTheTypes()
    {
        var table = LinkCalibration.Parse("""{"types": {"inferred-by-touch": [[0.2, 0.05], [0.9, 0.95]], "inferred-by-touch/touch-same-task": [[0.2, 0.1], [0.9, 0.6]]}}""");

        table.Apply("inferred-by-touch", 0.9, "touch-same-task").Should().Be(0.6);
        table.Apply("inferred-by-touch", 0.9, "touch").Should().Be(0.95);
        table.Apply("inferred-by-touch", 0.9).Should().Be(0.95);
        LinkCalibration.RuleKey("inferred-by-touch", "touch-same-task").Should().Be("inferred-by-touch/touch-same-task");
    }

    [Fact]
    public void Apply_TypeWithoutTable_KeepsRawScore()
    {
        Table.Apply("authored", 1.0).Should().Be(1.0);
    }

    [Fact]
    public void Parse_NotMonotone_Refused()
    {
        var act = () => LinkCalibration.Parse("""{"types": {"co-authored": [[0.2, 0.5], [0.4, 0.3]]}}""");
        act.Should().Throw<ArgumentException>().WithMessage("*not monotone*");
    }

    [Fact]
    public void Default_ShippedTable_LoadsWithItsReliability()
    {
        var shipped = LinkCalibration.Default;
        shipped.Types.Should().Contain(["co-authored", "inferred-by-touch"]);
        shipped.Types.Should().NotContain("authored", "authored links are exact and stay 1.0");
        shipped.Reliability.Should().ContainKey("dev set");
        shipped.Apply("inferred-by-touch", 0.97).Should().BeGreaterThan(shipped.Apply("inferred-by-touch", 0.1));
    }
}
