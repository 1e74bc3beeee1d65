using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Attribution.Artifacts;

/// <summary>
/// Reads and writes the metadata JSON exactly as the <c>agents</c> project (Go <c>encoding/json</c>) does, so a
/// marker or trailer we print is byte for byte what it would print: fields in declaration order, empty optional
/// fields omitted, and HTML-safe escaping (<c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> as lowercase <c>\u003c</c> ...), which
/// also means a JSON value can never close the <c>&lt;!-- ... --&gt;</c> comment it sits in.
/// </summary>
public static class AttributionJson
{
    public static string Serialize(AttributionMetadata metadata)
    {
        var json = new StringBuilder(256).Append('{');
        var first = true;
        void Name(string name)
        {
            if (!first)
            {
                json.Append(',');
            }

            first = false;
            json.Append('"').Append(name).Append("\":");
        }

        if (metadata.V != 0)
        {
            Name("v");
            json.Append(metadata.V.ToString(CultureInfo.InvariantCulture));
        }

        if (metadata.InstanceId.Length > 0)
        {
            Name("instance_id");
            AppendString(json, metadata.InstanceId);
        }

        Name("workspace");
        AppendString(json, metadata.Workspace);
        if (metadata.Repo.Length > 0)
        {
            Name("repo");
            AppendString(json, metadata.Repo);
        }

        if (metadata.Number != 0)
        {
            Name("number");
            json.Append(metadata.Number.ToString(CultureInfo.InvariantCulture));
        }

        Name("span_id");
        AppendString(json, metadata.SpanId);
        if (metadata.AgentId.Length > 0)
        {
            Name("agent_id");
            AppendString(json, metadata.AgentId);
        }

        if (metadata.AgentName.Length > 0)
        {
            Name("agent_name");
            AppendString(json, metadata.AgentName);
        }

        if (metadata.Sig.Length > 0)
        {
            Name("sig");
            AppendString(json, metadata.Sig);
        }

        return json.Append('}').ToString();
    }

    /// <summary>
    /// Parses metadata JSON the way Go would: field names matched case-insensitively (the last one wins), unknown
    /// fields ignored, <c>v</c> and <c>number</c> must be integers and the rest strings (or null).
    /// Returns null with <paramref name="error"/> when the text is not such an object.
    /// </summary>
    public static AttributionMetadata? TryParse(string json, out string? error)
    {
        error = null;
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "metadata is not a JSON object";
                return null;
            }

            var metadata = new AttributionMetadata();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value;
                switch (property.Name.ToLowerInvariant())
                {
                    case "v":
                        metadata = metadata with { V = checked((int)ReadInteger(value, "v")) };
                        break;
                    case "number":
                        metadata = metadata with { Number = ReadInteger(value, "number") };
                        break;
                    case "instance_id":
                        metadata = metadata with { InstanceId = ReadString(value, "instance_id") ?? metadata.InstanceId };
                        break;
                    case "workspace":
                        metadata = metadata with { Workspace = ReadString(value, "workspace") ?? metadata.Workspace };
                        break;
                    case "repo":
                        metadata = metadata with { Repo = ReadString(value, "repo") ?? metadata.Repo };
                        break;
                    case "span_id":
                        metadata = metadata with { SpanId = ReadString(value, "span_id") ?? metadata.SpanId };
                        break;
                    case "agent_id":
                        metadata = metadata with { AgentId = ReadString(value, "agent_id") ?? metadata.AgentId };
                        break;
                    case "agent_name":
                        metadata = metadata with { AgentName = ReadString(value, "agent_name") ?? metadata.AgentName };
                        break;
                    case "sig":
                        metadata = metadata with { Sig = ReadString(value, "sig") ?? metadata.Sig };
                        break;
                    default:
                        break;
                }
            }

            return metadata;
        }
        catch (JsonException)
        {
            error = "metadata is not valid JSON";
            return null;
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return null;
        }
        catch (OverflowException)
        {
            error = "metadata field v is out of range";
            return null;
        }
    }

    private static long ReadInteger(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.Null => 0,
        JsonValueKind.Number when value.TryGetInt64(out var number) => number,
        _ => throw new FormatException($"metadata field {name} is not an integer"),
    };

    private static string? ReadString(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString(),
        _ => throw new FormatException($"metadata field {name} is not a string"),
    };

    private static void AppendString(StringBuilder json, string value)
    {
        json.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"':
                    json.Append("\\\"");
                    break;
                case '\\':
                    json.Append("\\\\");
                    break;
                case '\n':
                    json.Append("\\n");
                    break;
                case '\r':
                    json.Append("\\r");
                    break;
                case '\t':
                    json.Append("\\t");
                    break;
                case '\b':
                    json.Append("\\b");
                    break;
                case '\f':
                    json.Append("\\f");
                    break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    AppendEscaped(json, c);
                    break;
                case < ' ':
                    AppendEscaped(json, c);
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        json.Append(c).Append(value[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        // Go writes invalid UTF-8 as the replacement character.
                        json.Append("\\ufffd");
                    }
                    else
                    {
                        json.Append(c);
                    }

                    break;
            }
        }

        json.Append('"');
    }

    private static void AppendEscaped(StringBuilder json, char c) =>
        json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
}
