using System.Text.Json;
using System.Text.Json.Serialization;

namespace Attribution.Reports;

/// <summary>
/// The JSON form of the documents outside HTTP (CLI <c>--json</c>, MCP tool results): the same web
/// defaults (camelCase) the minimal API uses, nulls written, so every surface prints the same document.
/// </summary>
public static class DocumentJson
{
    public static readonly JsonSerializerOptions Compact = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // As ASP.NET Core's HTTP JSON does: quotes and apostrophes are not \u-escaped.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly JsonSerializerOptions Indented = new(Compact) { WriteIndented = true };

    public static string Serialize<T>(T value, bool indented = false) =>
        JsonSerializer.Serialize(value, indented ? Indented : Compact);
}
