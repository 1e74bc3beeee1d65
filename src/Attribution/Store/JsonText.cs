using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Attribution.Store;

/// <summary>
/// JSON text kept for a <c>raw_json</c> column: a copy of a parsed element's UTF-8 bytes exactly as the payload held
/// them, so storing it on SQLite needs no transcoding into a string and back (for a 20 KB pull request object that
/// was a tenth of a webhook delivery's cost). PostgreSQL and Dapper take it as a string.
/// </summary>
public sealed class JsonText
{
    private readonly byte[] _utf8;
    private string? _text;

    private JsonText(byte[] utf8) => _utf8 = utf8;

    /// <summary>The element's raw text, byte for byte as in the document (what <see cref="JsonElement.GetRawText"/> returns).</summary>
    public static JsonText Of(JsonElement element) => new(JsonMarshal.GetRawUtf8Value(element).ToArray());

    public ReadOnlySpan<byte> Utf8 => _utf8;

    public override string ToString() => _text ??= Encoding.UTF8.GetString(_utf8);
}
