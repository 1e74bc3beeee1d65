using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Attribution.Store;

/// <summary>
/// JSON text kept for a <c>raw_json</c> column: the UTF-8 bytes exactly as a payload held them, or a string. Taken
/// from a parsed payload it is a copy of the element's bytes, so storing it on SQLite needs no transcoding into a
/// string and back (for a 20 KB pull request object that was a tenth of a webhook delivery's cost).
/// </summary>
public sealed class JsonText
{
    private readonly byte[]? _utf8;
    private string? _text;

    private JsonText(byte[]? utf8, string? text) => (_utf8, _text) = (utf8, text);

    /// <summary>The element's raw text, byte for byte as in the document (what <see cref="JsonElement.GetRawText"/> returns).</summary>
    public static JsonText Of(JsonElement element) => new(JsonMarshal.GetRawUtf8Value(element).ToArray(), null);

    public static JsonText Of(string text) => new(null, text);

    /// <summary>The UTF-8 bytes (encoded on each call when the text came as a string).</summary>
    public ReadOnlySpan<byte> Utf8 => _utf8 ?? Encoding.UTF8.GetBytes(_text!);

    public override string ToString() => _text ??= Encoding.UTF8.GetString(_utf8!);
}
