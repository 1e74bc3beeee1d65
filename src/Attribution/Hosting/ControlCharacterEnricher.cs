using Serilog.Core;
using Serilog.Events;

namespace Attribution.Hosting;

/// <summary>
/// Escapes control characters in the string values of every log event (<c>\n</c> → <c>\\n</c>, ESC → <c>\\x1B</c>): a
/// webhook's <c>action</c>, a branch or a path comes from outside, and a newline in it would forge a line in the text
/// log (an escape sequence would reach the operator's terminal).
/// </summary>
public sealed class ControlCharacterEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? changed = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (value is ScalarValue { Value: string text } && NeedsEscape(text))
            {
                (changed ??= []).Add(new LogEventProperty(name, new ScalarValue(Escape(text))));
            }
        }

        foreach (var property in changed ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    private static bool NeedsEscape(string text) => text.Any(c => c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F));

    /// <summary>The text with newlines, carriage returns and tabs as <c>\n</c>, <c>\r</c>, <c>\t</c> and other controls as <c>\xNN</c>.</summary>
    public static string Escape(string text) =>
        TerminalSafeWriter.Clean(text.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal));
}
