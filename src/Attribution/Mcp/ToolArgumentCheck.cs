using System.Globalization;
using System.Text.Json;

namespace Attribution.Mcp;

/// <summary>
/// Checks a tool call's arguments against the tool's input schema before it runs, so that a missing, unknown or
/// mistyped argument is a tool error saying which and why (the SDK's own binding failure says neither). Pure.
/// </summary>
public static class ToolArgumentCheck
{
    /// <summary>The problems, one sentence each, or null when the arguments fit the schema.</summary>
    public static string? Problem(string tool, JsonElement schema, IReadOnlyDictionary<string, JsonElement>? arguments)
    {
        ArgumentNullException.ThrowIfNull(tool);
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var args = arguments ?? new Dictionary<string, JsonElement>();
        var names = properties.EnumerateObject().Select(p => p.Name).ToList();
        var problems = new List<string>();
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()).OfType<string>())
            {
                if (!args.TryGetValue(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
                {
                    var property = properties.GetProperty(name);
                    problems.Add($"missing argument '{name}' ({TypeText(property)}){Described(property)}.");
                }
            }
        }

        foreach (var (name, value) in args)
        {
            if (!properties.TryGetProperty(name, out var property))
            {
                problems.Add($"unknown argument '{name}'; {tool} takes {string.Join(", ", names)}.");
                continue;
            }

            var allowed = Types(property);
            if (allowed.Count > 0 && !allowed.Any(t => Fits(t, value)))
            {
                problems.Add($"argument '{name}' must be {TypeText(property)}, not {Describe(value)}.");
            }
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }

    private static List<string> Types(JsonElement property)
    {
        if (!property.TryGetProperty("type", out var type))
        {
            return [];
        }

        return type.ValueKind switch
        {
            JsonValueKind.String => [type.GetString()!],
            JsonValueKind.Array => type.EnumerateArray().Select(t => t.GetString()).OfType<string>().ToList(),
            _ => [],
        };
    }

    private static string TypeText(JsonElement property)
    {
        var types = Types(property).Where(t => t != "null").ToList();
        var text = types.Count == 0 ? "a value" : string.Join(" or ", types.Select(t => t switch
        {
            "integer" => "an integer",
            "object" => "an object",
            "array" => "an array",
            _ => "a " + t,
        }));
        return Types(property).Contains("null") ? text + " or null" : text;
    }

    private static string Described(JsonElement property) =>
        property.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? ": " + d.GetString()!.TrimEnd('.') : "";

    private static bool Fits(string type, JsonElement value) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        _ => true,
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "an integer" : "the number " + value.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        _ => value.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture),
    };
}
