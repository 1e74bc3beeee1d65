using System.Globalization;
using System.Text.Json;

namespace Attribution.Backfill;

/// <summary>Tolerant readers over API objects: a missing or null property reads as null.</summary>
internal static class Json
{
    public static JsonElement? Node(this JsonElement element, params string[] path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current) || current.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
        }

        return current;
    }

    public static string? Str(this JsonElement element, params string[] path) => element.Node(path) switch
    {
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { ValueKind: JsonValueKind.Number } value => value.GetRawText(),
        _ => null,
    };

    public static long? Long(this JsonElement element, params string[] path) => element.Node(path) switch
    {
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt64(out var number) => number,
        { ValueKind: JsonValueKind.String } value when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => number,
        _ => null,
    };

    public static bool? Bool(this JsonElement element, params string[] path) => element.Node(path) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => null,
    };

    public static DateTimeOffset? Time(this JsonElement element, params string[] path)
    {
        var text = element.Str(path);
        // GitLab webhooks write "2017-12-10 17:08:07 UTC"; REST answers are ISO-8601.
        if (text is not null && text.EndsWith(" UTC", StringComparison.Ordinal))
        {
            text = text[..^4];
        }

        return text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at.ToUniversalTime()
            : null;
    }

    public static IEnumerable<JsonElement> Items(this JsonElement element, params string[] path) =>
        element.Node(path) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    public static string? NonEmpty(this string? value) => string.IsNullOrEmpty(value) ? null : value;
}
