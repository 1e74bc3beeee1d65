using System.Globalization;
using System.Text.Json;

namespace Attribution.Common;

/// <summary>
/// The one tolerant reader of provider JSON (webhook payloads and REST answers alike): optional fields read as null
/// (an absent parent too, so <c>String(Optional(pr, "user"), "login")</c> reads a nested field), required ones throw
/// <see cref="PayloadShapeException"/> naming the path.
/// </summary>
public static class PayloadJson
{
    public static JsonElement? Optional(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static JsonElement RequiredObject(JsonElement element, string name, string path) =>
        Optional(element, name) is { ValueKind: JsonValueKind.Object } value ? value : throw new PayloadShapeException(path, $"'{path}' must be an object.");

    public static string? String(JsonElement? element, string name) => Optional(element, name) switch
    {
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { ValueKind: JsonValueKind.Number } value => value.GetRawText(),
        _ => null,
    };

    public static string RequiredString(JsonElement element, string name, string path) =>
        String(element, name) is { Length: > 0 } value ? value : throw new PayloadShapeException(path, $"'{path}' must be a non-empty string.");

    public static long? Long(JsonElement? element, string name) => Optional(element, name) switch
    {
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt64(out var number) => number,
        { ValueKind: JsonValueKind.String } value when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => number,
        _ => null,
    };

    public static long RequiredLong(JsonElement element, string name, string path) =>
        Long(element, name) ?? throw new PayloadShapeException(path, $"'{path}' must be an integer.");

    /// <summary>
    /// A pull/merge request or issue number (GitHub's <c>number</c>, GitLab's <c>iid</c>): positive and within 32 bits, as
    /// the providers issue them and the store keeps them on every dialect; null when absent or not an integer, a
    /// <see cref="PayloadShapeException"/> naming <paramref name="path"/> when out of that range.
    /// </summary>
    public static long? IssueNumber(JsonElement? element, string name, string path) => Long(element, name) switch
    {
        null => null,
        >= 1 and <= int.MaxValue and var number => number,
        _ => throw new PayloadShapeException(path, $"'{path}' must be a positive integer below 2^31."),
    };

    public static long RequiredIssueNumber(JsonElement element, string name, string path) =>
        IssueNumber(element, name, path) ?? throw new PayloadShapeException(path, $"'{path}' must be an integer.");

    /// <summary>
    /// A line of a file (a review comment's or a note's position): 1 up to 2^31 - 1, as any file has them and the store
    /// keeps them on every dialect; null when absent, not an integer or out of that range (the comment is kept, on no line).
    /// </summary>
    public static long? LineNumber(JsonElement? element, string name) => Long(element, name) is >= 1 and <= int.MaxValue and var line ? line : null;

    public static bool? Bool(JsonElement? element, string name) => Optional(element, name) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => null,
    };

    /// <summary>A timestamp in ISO-8601 or GitLab's <c>2017-12-10 17:01:11 UTC</c> form; null when absent or unreadable.</summary>
    public static DateTimeOffset? Timestamp(JsonElement? element, string name) => ParseTimestamp(String(element, name));

    public static DateTimeOffset? ParseTimestamp(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var value = text.Trim();
        if (value.EndsWith(" UTC", StringComparison.Ordinal))
        {
            value = value[..^4] + "Z";
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : null;
    }

    /// <summary>The strings of an array property (non-strings skipped); empty when absent.</summary>
    public static IReadOnlyList<string> Strings(JsonElement? element, string name) =>
        Optional(element, name) is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];

    /// <summary>The objects of an array property; empty when absent.</summary>
    public static IEnumerable<JsonElement> Objects(JsonElement? element, string name) =>
        Optional(element, name) is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
            : [];

    /// <summary>Null for null, empty or white space.</summary>
    public static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
