using System.Text.Json;

namespace Attribution.Common;

/// <summary>Reads the small JSON values the store keeps in text columns (parents, linked session ids, touched files).</summary>
public static class StoredJson
{
    /// <summary>A JSON array of strings; blank, malformed or anything else reads as none.</summary>
    public static IReadOnlyList<string> StringArray(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<string[]>(json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
