using Attribution.Pages.Dashboard;

namespace Attribution.Tests.Pages;

public sealed class TableViewTests
{
    [Fact]
    public void ToCsv_CommasQuotesAndLineBreaks_AreQuotedPerRfc4180()
    {
        var table = new TableView("t", ["A", "B"]);
        table.Add("k", "x,y", "say \"hi\"\nthere");

        table.ToCsv().Should().Be("A,B\r\n\"x,y\",\"say \"\"hi\"\"\nthere\"\r\n");
    }

    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("-0.5", "-0.5")]
    [InlineData("+1", "'+1")]
    public void Quote_FormulaLikeText_IsDefused(string field, string expected) =>
        TableView.Quote(field).Trim('"').Replace("\"\"", "\"", StringComparison.Ordinal).Should().Be(expected);

    [Fact]
    public void Add_WrongCellCount_Throws()
    {
        var table = new TableView("t", ["A", "B"]);

        var act = () => table.Add("k", "only one");

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void ToJson_KeysByColumnHeader()
    {
        var table = new TableView("t", ["Commit", "Subject"]);
        table.Add("k", new Cell("abc1234", "/commits/abc", Code: true), "Fix <b>");

        table.ToJson().Should().Contain("\"Commit\": \"abc1234\"").And.Contain("\"Subject\": \"Fix <b>\"");
    }
}
