using System.Globalization;
using System.Text;

namespace Attribution.Hosting;

/// <summary>
/// What the CLI writes to the operator's terminal, with control characters made visible: commit subjects, models and
/// paths come from other people, and an escape sequence in them could write the clipboard (OSC 52), move the cursor or
/// overwrite lines. ESC, the other C0 controls (but tab and newline; carriage return where asked, for progress lines),
/// DEL and the C1 controls are written as <c>\x1B</c>-style text. JSON output is unaffected (its serializer already
/// escapes every control character).
/// </summary>
public sealed class TerminalSafeWriter(TextWriter inner, bool keepCarriageReturn) : TextWriter(CultureInfo.InvariantCulture)
{
    public override Encoding Encoding => inner.Encoding;

    public override string NewLine
    {
        get => inner.NewLine;
#pragma warning disable CS8765 // TextWriter.NewLine's setter takes null to mean the default.
        set => inner.NewLine = value;
#pragma warning restore CS8765
    }

    /// <summary>True for a character this writer shows as an escape.</summary>
    public static bool IsUnsafe(char c, bool keepCarriageReturn) =>
        (c < 0x20 && c != '\n' && c != '\t' && !(c == '\r' && keepCarriageReturn)) || c == 0x7F || (c >= 0x80 && c <= 0x9F);

    /// <summary><paramref name="text"/> with its unsafe characters shown as escapes.</summary>
    public static string Clean(string text, bool keepCarriageReturn = false)
    {
        if (!text.Any(c => IsUnsafe(c, keepCarriageReturn)))
        {
            return text;
        }

        var clean = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (IsUnsafe(c, keepCarriageReturn))
            {
                clean.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                clean.Append(c);
            }
        }

        return clean.ToString();
    }

    public override void Write(char value)
    {
        if (IsUnsafe(value, keepCarriageReturn))
        {
            inner.Write(Clean(value.ToString(), keepCarriageReturn));
        }
        else
        {
            inner.Write(value);
        }
    }

    public override void Write(string? value)
    {
        if (value is not null)
        {
            inner.Write(Clean(value, keepCarriageReturn));
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value)
    {
        Write(value);
        inner.WriteLine();
    }

    public override Task WriteAsync(string? value) => inner.WriteAsync(value is null ? null : Clean(value, keepCarriageReturn));

    public override Task WriteLineAsync(string? value) => inner.WriteLineAsync(value is null ? null : Clean(value, keepCarriageReturn));

    public override void Flush() => inner.Flush();

    public override Task FlushAsync() => inner.FlushAsync();
}
