using Attribution.Hosting;
using Serilog.Core;
using Serilog.Events;

namespace Attribution.Tests.Hosting;

/// <summary>
/// Untrusted text never drives the operator's terminal or forges a log line: the CLI shows control characters as
/// escapes, and logged values have theirs escaped.
/// </summary>
public sealed class TerminalOutputTests
{
    [Theory]
    [InlineData("plain subject", false, "plain subject")]
    [InlineData("a\u001b[2Kb", false, "a\\x1B[2Kb")]
    [InlineData("x\ry\u009bz\u007f", false, "x\\x0Dy\\x9Bz\\x7F")]
    [InlineData("progress\r", true, "progress\r")]
    [InlineData("tab\tand\nline", false, "tab\tand\nline")]
    public void Clean_ShowsControlCharacters(string text, bool keepCarriageReturn, string expected) =>
        TerminalSafeWriter.Clean(text, keepCarriageReturn).Should().Be(expected);

    [Fact]
    public void LoggedValue_WithNewlineAndEscape_IsOneLine()
    {
        var events = new List<LogEvent>();
        using var logger = new Serilog.LoggerConfiguration().Enrich.With(new ControlCharacterEnricher()).WriteTo.Sink(new Capture(events)).CreateLogger();

        logger.Information("Webhook delivery accepted: {Action}", "opened\n[12:00:00 INF] forged line\u001b[2K");

        var rendered = events.Should().ContainSingle().Subject.RenderMessage();
        rendered.Should().NotContain("\n").And.NotContain("\u001b");
        rendered.Should().Contain("opened\\n[12:00:00 INF] forged line\\x1B[2K");
    }

    private sealed class Capture(List<LogEvent> events) : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => events.Add(logEvent);
    }
}
