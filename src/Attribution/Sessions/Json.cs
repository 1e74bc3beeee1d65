using System.Globalization;
using System.Text.Json;

namespace Attribution.Sessions;

/// <summary>Type-tolerant reads of transcript JSON: a field of the wrong type reads as missing.</summary>
internal static class Json
{
    public static JsonElement? Get(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : null;

    public static string? Str(this JsonElement element, string name) =>
        element.Get(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static long Long(this JsonElement element, string name) =>
        element.Get(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) && number > 0 ? number : 0;

    public static bool? Bool(this JsonElement element, string name) => element.Get(name) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => null,
    };

    public static DateTimeOffset? Ts(this JsonElement element, string name)
    {
        if (element.Get(name) is not { ValueKind: JsonValueKind.String } value)
        {
            return null;
        }

        // The ISO 8601 fast path covers what the agents write; other forms go through the general parser.
        if (value.TryGetDateTimeOffset(out var fast))
        {
            return fast.ToUniversalTime();
        }

        return DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var ts)
            ? ts
            : null;
    }

    /// <summary>The string value, reusing <paramref name="known"/> when equal (avoids a string per line).</summary>
    public static string? StrCached(this JsonElement element, string name, string? known)
    {
        if (element.Get(name) is not { ValueKind: JsonValueKind.String } value)
        {
            return null;
        }

        return known is not null && value.ValueEquals(known) ? known : value.GetString();
    }

    public static JsonElement? Obj(this JsonElement element, string name) =>
        element.Get(name) is { ValueKind: JsonValueKind.Object } value ? value : null;

    public static JsonElement? Arr(this JsonElement element, string name) =>
        element.Get(name) is { ValueKind: JsonValueKind.Array } value ? value : null;

    /// <summary>Text of a tool result: a string, or the text parts of an array of content blocks.</summary>
    public static string? Text(JsonElement? content)
    {
        switch (content)
        {
            case { ValueKind: JsonValueKind.String } s:
                return s.GetString();
            case { ValueKind: JsonValueKind.Array } array:
                var parts = new List<string>();
                foreach (var item in array.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        parts.Add(item.GetString()!);
                    }
                    else if (item.Str("text") is { } text)
                    {
                        parts.Add(text);
                    }
                }

                return string.Join('\n', parts);
            default:
                return null;
        }
    }

    /// <summary>Cuts text to a maximum length (in chars), marking the cut.</summary>
    public static string? Cap(string? text, int max) =>
        text is null || text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");
}
