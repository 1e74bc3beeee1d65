using Attribution.Decisions.Bugs;

namespace Attribution.Tests.Decisions;

public sealed class RepositoryPathMapperTests
{
    private static readonly RepositoryPathMapper Mapper = new(
    [
        "a2a/cstp/decision_service.py", "a2a/cstp/server.py", "src/Shop/Orders/OrderService.cs",
        "src/main/java/com/shop/cart/Cart.java", "pkg/a/util.go", "pkg/b/util.go", "README.md",
    ]);

    [Theory]
    [InlineData("/srv/app/a2a/cstp/decision_service.py", "a2a/cstp/decision_service.py")]
    [InlineData(@"C:\build\src\Shop\Orders\OrderService.cs", "src/Shop/Orders/OrderService.cs")]
    [InlineData("com/shop/cart/Cart.java", "src/main/java/com/shop/cart/Cart.java")]
    [InlineData("./README.md", "README.md")]
    [InlineData("/home/ci/work/pkg/b/util.go", "pkg/b/util.go")]
    public void Map_AbsoluteOrPartialPath_LongestSuffixInTree(string tracePath, string expected) =>
        Mapper.Map(tracePath).Should().Be(expected);

    [Theory]
    [InlineData("/usr/lib/python3.12/asyncio/events.py")]
    [InlineData("util.go")]
    [InlineData("")]
    public void Map_UnknownOrAmbiguous_ReturnsNull(string tracePath) =>
        Mapper.Map(tracePath).Should().BeNull();
}
