using Attribution.Sessions;

namespace Attribution.Tests.Sessions;

public sealed class PriceTableTests
{
    private static readonly DateTimeOffset At = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("claude-opus-4-6", 5, 25)]
    [InlineData("claude-opus-4-1-20250805", 15, 75)]
    [InlineData("claude-opus-4-20250514", 15, 75)]
    [InlineData("claude-sonnet-4-5-20250929", 3, 15)]
    [InlineData("claude-haiku-4-5", 1, 5)]
    [InlineData("claude-3-5-haiku-20241022", 0.8, 4)]
    [InlineData("gpt-5-codex", 1.25, 10)]
    [InlineData("gpt-5-mini", 0.25, 2)]
    [InlineData("o4-mini", 1.10, 4.40)]
    [InlineData("gpt-4.1", 2, 8)]
    [InlineData("us.anthropic.claude-sonnet-4-20250514-v1:0", 3, 15)]
    public void Find_KnownFamilies_LongestPrefixPrice(string model, double input, double output)
    {
        var price = new PriceTable().Find(model, At);

        price.Should().NotBeNull();
        ((double)price!.Input, (double)price.Output).Should().Be((input, output));
    }

    [Theory]
    [InlineData("gpt-5.5")]
    [InlineData("synthetic-model")]
    [InlineData("<synthetic>")]
    [InlineData("")]
    public void Find_UnknownModel_Null(string model)
    {
        new PriceTable().Find(model, At).Should().BeNull();
    }

    [Fact]
    public void Cost_UnknownModel_NullNotZero()
    {
        new PriceTable().Cost("mystery-1", At, 100, 100, 0, 0).Should().BeNull();
    }

    [Fact]
    public void Find_OverrideDatedLater_AppliesOnlyFromItsDate()
    {
        var table = new PriceTable([new ModelPrice("claude-opus-4-6", new DateOnly(2026, 3, 1), 4, 20, 5, 0.4m)]);

        table.Find("claude-opus-4-6", At)!.Input.Should().Be(5m);
        table.Find("claude-opus-4-6", new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero))!.Input.Should().Be(4m);
    }

    [Fact]
    public void Load_ValidFile_ReadsEntries()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{"models":[{"prefix":"my-model","effectiveFrom":"2026-01-01","input":1.5,"output":6,"cacheRead":0.15}]}""");

            var prices = PriceTable.Load(path);

            prices.Should().Equal(new ModelPrice("my-model", new DateOnly(2026, 1, 1), 1.5m, 6m, 0m, 0.15m));
            new PriceTable(prices).Cost("my-model-2", At, 1_000_000, 1_000_000, 0, 1_000_000).Should().Be(7.65m);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("not json", "is not valid JSON")]
    [InlineData("""{"prices":[]}""", "has no \"models\" array")]
    [InlineData("""{"models":[{"prefix":"x","input":"cheap","output":1}]}""", "entry 0: \"input\" must be a non-negative number")]
    [InlineData("""{"models":[{"input":1,"output":1}]}""", "entry 0: \"prefix\" is required")]
    public void Load_BadFile_ClearError(string content, string message)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, content);

            var act = () => PriceTable.Load(path);

            act.Should().Throw<InvalidDataException>().WithMessage($"*{message}*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_MissingFile_ClearError()
    {
        var act = () => PriceTable.Load("/nonexistent/prices.json");

        act.Should().Throw<InvalidDataException>().WithMessage("price file '/nonexistent/prices.json' (ATTRIBUTION_PRICES) does not exist");
    }
}
