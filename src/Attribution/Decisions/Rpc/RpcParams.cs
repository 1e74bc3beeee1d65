using System.Globalization;
using System.Text.Json;

namespace Attribution.Decisions.Rpc;

/// <summary>
/// Typed, bounded reads of named JSON-RPC params. Every violation is an invalid-params error naming the
/// field (its dotted path for nested objects); JSON null counts as absent.
/// </summary>
public sealed class RpcParams
{
    private readonly JsonElement _element;
    private readonly string _prefix;

    public RpcParams(JsonElement element, string prefix = "")
    {
        _element = element;
        _prefix = prefix;
    }

    public static RpcParams Empty { get; } = new(JsonDocument.Parse("{}").RootElement.Clone());

    public string? String(string name, int maxLength, bool required = false)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Invalid(name, "must be a string");
        }

        var text = value.GetString()!;
        if (text.Length > maxLength)
        {
            throw Invalid(name, $"must be at most {maxLength} characters");
        }

        if (required && string.IsNullOrWhiteSpace(text))
        {
            throw Invalid(name, "must not be empty");
        }

        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    /// <summary>An integer; a string of digits is accepted too (some clients send PR numbers as text).</summary>
    public long? Integer(string name, long min, long max, bool required = false)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        long? parsed = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) => s,
            _ => null,
        };
        if (parsed is not { } number)
        {
            throw Invalid(name, $"must be an integer from {min} to {max}");
        }

        return number >= min && number <= max ? number : throw Invalid(name, $"must be an integer from {min} to {max}");
    }

    public double? Number(string name, double min, double max, bool required = false)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number)
            || number < min || number > max)
        {
            throw Invalid(name, string.Create(CultureInfo.InvariantCulture, $"must be a number from {min} to {max}"));
        }

        return number;
    }

    public bool? Boolean(string name)
    {
        if (!TryGet(name, false, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(name, "must be true or false"),
        };
    }

    /// <summary>A date (<c>2026-01-01</c>, taken as UTC midnight) or an ISO-8601 timestamp.</summary>
    public DateTimeOffset? Timestamp(string name)
    {
        var text = String(name, 64);
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var ts)
            ? ts
            : throw Invalid(name, "must be a date (YYYY-MM-DD) or an ISO-8601 timestamp");
    }

    /// <summary>
    /// A time bound as CSTP clients send it: a duration back from <paramref name="now"/> (<c>30d</c>, <c>12h</c>,
    /// <c>2w</c>), a date (UTC midnight) or an ISO-8601 timestamp.
    /// </summary>
    public DateTimeOffset? Since(string name, DateTimeOffset now)
    {
        var text = String(name, 64);
        if (text is null)
        {
            return null;
        }

        if (Common.Since.TryParseDuration(text, out var duration))
        {
            return now - duration;
        }

        return Timestamp(name);
    }

    /// <summary>One string or a list of strings (each at most <paramref name="maxLength"/> characters); null when absent.</summary>
    public IReadOnlyList<string>? StringList(string name, int maxItems, int maxLength)
    {
        if (!TryGet(name, false, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return String(name, maxLength) is { } single ? [single] : null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > maxItems
            || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String || e.GetString()!.Length > maxLength))
        {
            throw Invalid(name, $"must be a string or a list of at most {maxItems} strings of at most {maxLength} characters");
        }

        var items = value.EnumerateArray().Select(e => e.GetString()!.Trim()).Where(e => e.Length > 0).ToList();
        return items.Count == 0 ? null : items;
    }

    public string? OneOf(string name, IReadOnlyCollection<string> allowed, bool required = false)
    {
        var text = String(name, 64, required);
        if (text is null)
        {
            return null;
        }

        var match = allowed.FirstOrDefault(a => string.Equals(a, text, StringComparison.OrdinalIgnoreCase));
        return match ?? throw Invalid(name, $"must be one of {string.Join(", ", allowed)}");
    }

    public RpcParams? Object(string name)
    {
        if (!TryGet(name, false, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? new RpcParams(value, Path(name) + ".") : throw Invalid(name, "must be an object");
    }

    public bool Has(string name) => _element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public JsonRpcException Invalid(string name, string problem) => JsonRpcException.InvalidParams(Path(name), problem);

    private string Path(string name) => _prefix + name;

    private bool TryGet(string name, bool required, out JsonElement value)
    {
        if (_element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        return required ? throw Invalid(name, "is required") : false;
    }
}
