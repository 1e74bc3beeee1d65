using Attribution.Decisions.Bugs;

namespace Attribution.Tests.Decisions;

public sealed class StackTraceParserTests
{
    [Fact]
    public void Parse_PythonTraceback_InnermostFrameFirst()
    {
        const string trace = """
            Traceback (most recent call last):
              File "/srv/app/a2a/cstp/server.py", line 88, in handle
                result = service.record(params)
              File "/srv/app/a2a/cstp/decision_service.py", line 42, in record
                if user.name is None:
            AttributeError: 'NoneType' object has no attribute 'name'
            """;

        var parsed = StackTraceParser.Parse(trace);

        parsed.Dialect.Should().Be(StackTraceParser.Python);
        parsed.Frames.Should().Equal(
            new StackFrame("/srv/app/a2a/cstp/decision_service.py", 42, "record"),
            new StackFrame("/srv/app/a2a/cstp/server.py", 88, "handle"));
    }

    [Fact]
    public void Parse_DotNetTrace_ReadsFileAndLineSkipsFramesWithoutPdb()
    {
        const string trace = """
            System.NullReferenceException: Object reference not set to an instance of an object.
               at Shop.Orders.OrderService.Total(Order order) in /src/Shop/Orders/OrderService.cs:line 42
               at Shop.Api.OrdersController.Get(Int32 id) in C:\build\Shop\Api\OrdersController.cs:line 17
               at lambda_method12(Closure, Object, Object[])
               at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.Execute(ActionContext context)
            """;

        var parsed = StackTraceParser.Parse(trace);

        parsed.Dialect.Should().Be(StackTraceParser.DotNet);
        parsed.Frames.Should().Equal(
            new StackFrame("/src/Shop/Orders/OrderService.cs", 42, "Shop.Orders.OrderService.Total(Order order)"),
            new StackFrame(@"C:\build\Shop\Api\OrdersController.cs", 17, "Shop.Api.OrdersController.Get(Int32 id)"));
    }

    [Fact]
    public void Parse_JavaTrace_PackageBecomesFolder()
    {
        const string trace = """
            java.lang.IllegalStateException: empty cart
            	at com.shop.cart.Cart.total(Cart.java:42)
            	at com.shop.cart.Cart$Line.price(Cart.java:97)
            	at app//com.shop.web.CartController.show(CartController.java:23)
            	at java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)
            	... 12 more
            """;

        var parsed = StackTraceParser.Parse(trace);

        parsed.Dialect.Should().Be(StackTraceParser.Java);
        parsed.Frames.Select(f => (f.File, f.Line)).Should().Equal(
            ("com/shop/cart/Cart.java", 42), ("com/shop/cart/Cart.java", 97), ("com/shop/web/CartController.java", 23));
    }

    [Fact]
    public void Parse_GoPanic_TakesFunctionFromPrecedingLine()
    {
        const string trace = "panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:\n"
            + "main.lookup(...)\n\t/home/u/proj/store/lookup.go:42 +0x1d\n"
            + "main.main()\n\t/home/u/proj/main.go:12 +0x85\nexit status 2\n";

        var parsed = StackTraceParser.Parse(trace);

        parsed.Dialect.Should().Be(StackTraceParser.Go);
        parsed.Frames.Should().Equal(
            new StackFrame("/home/u/proj/store/lookup.go", 42, "main.lookup"),
            new StackFrame("/home/u/proj/main.go", 12, "main.main"));
    }

    [Fact]
    public void Parse_JavaScriptTrace_NamedAndAnonymousFramesSkipNodeInternals()
    {
        const string trace = """
            TypeError: Cannot read properties of undefined (reading 'id')
                at getUser (/app/src/users/get.js:10:5)
                at /app/src/router.js:33:12
                at async handler (file:///app/src/server.mjs:7:3)
                at process.processTicksAndRejections (node:internal/process/task_queues:95:5)
            """;

        var parsed = StackTraceParser.Parse(trace);

        parsed.Dialect.Should().Be(StackTraceParser.JavaScript);
        parsed.Frames.Should().Equal(
            new StackFrame("/app/src/users/get.js", 10, "getUser", 5),
            new StackFrame("/app/src/router.js", 33, null, 12),
            new StackFrame("/app/src/server.mjs", 7, "handler", 3));
    }

    [Theory]
    [InlineData("")]
    [InlineData("just a log line\nnothing here")]
    [InlineData("  File \"x.py\", line 0, in f")]
    public void Parse_NoFrames_ReturnsEmpty(string trace) =>
        StackTraceParser.Parse(trace).Frames.Should().BeEmpty();

    [Fact]
    public void Parse_HugeHostileLine_IgnoredWithoutTimeout()
    {
        var trace = "   at " + new string('(', 200_000) + " in /x.cs:line 1\n  File \"ok.py\", line 3, in f";

        var parsed = StackTraceParser.Parse(trace);

        parsed.Frames.Should().Equal(new StackFrame("ok.py", 3, "f"));
    }
}
