using System.Globalization;
using System.Text.Json;

namespace Attribution.Sessions;

/// <summary>USD per million tokens for one model family from a date on.</summary>
public sealed record ModelPrice(string Prefix, DateOnly EffectiveFrom, decimal Input, decimal Output, decimal CacheWrite, decimal CacheRead);

/// <summary>
/// Per-model token prices, matched by the longest family prefix that ends at a name boundary
/// (<c>claude-opus-4</c> matches <c>claude-opus-4-20250514</c> but <c>gpt-5</c> does not match <c>gpt-5.5</c>),
/// and dated: the entry in force at the message's time applies. Entries from <c>ATTRIBUTION_PRICES</c>
/// are consulted before the built-in ones. Unknown models have no price (cost null, never 0).
/// </summary>
public sealed class PriceTable
{
    private static readonly DateOnly Launch = new(2024, 1, 1);

    private readonly IReadOnlyList<ModelPrice> _overrides;
    private readonly IReadOnlyList<ModelPrice> _builtIn;

    public PriceTable(IReadOnlyList<ModelPrice>? overrides = null)
    {
        _overrides = overrides ?? [];
        _builtIn = BuiltIn;
    }

    /// <summary>Public list prices (USD per million tokens; cache write = 5-minute cache write for Claude, OpenAI has none).</summary>
    public static IReadOnlyList<ModelPrice> BuiltIn { get; } =
    [
        // Anthropic, https://www.anthropic.com/pricing (input, output, 5m cache write, cache read).
        new("claude-opus-4", Launch, 15m, 75m, 18.75m, 1.50m),
        new("claude-opus-4-1", Launch, 15m, 75m, 18.75m, 1.50m),
        new("claude-opus-4-5", Launch, 5m, 25m, 6.25m, 0.50m),
        new("claude-opus-4-6", Launch, 5m, 25m, 6.25m, 0.50m),
        new("claude-sonnet-4", Launch, 3m, 15m, 3.75m, 0.30m),
        new("claude-haiku-4", Launch, 1m, 5m, 1.25m, 0.10m),
        new("claude-3-7-sonnet", Launch, 3m, 15m, 3.75m, 0.30m),
        new("claude-3-5-sonnet", Launch, 3m, 15m, 3.75m, 0.30m),
        new("claude-3-5-haiku", Launch, 0.80m, 4m, 1m, 0.08m),
        new("claude-3-opus", Launch, 15m, 75m, 18.75m, 1.50m),
        new("claude-3-haiku", Launch, 0.25m, 1.25m, 0.30m, 0.03m),

        // OpenAI, https://openai.com/api/pricing (input, output, -, cached input).
        new("gpt-5", Launch, 1.25m, 10m, 0m, 0.125m),
        new("gpt-5-codex", Launch, 1.25m, 10m, 0m, 0.125m),
        new("gpt-5.1", Launch, 1.25m, 10m, 0m, 0.125m),
        new("gpt-5.1-codex", Launch, 1.25m, 10m, 0m, 0.125m),
        new("gpt-5-mini", Launch, 0.25m, 2m, 0m, 0.025m),
        new("gpt-5.1-codex-mini", Launch, 0.25m, 2m, 0m, 0.025m),
        new("gpt-5-nano", Launch, 0.05m, 0.40m, 0m, 0.005m),
        new("codex-mini-latest", Launch, 1.50m, 6m, 0m, 0.375m),
        new("o4-mini", Launch, 1.10m, 4.40m, 0m, 0.275m),
        new("o3", Launch, 2m, 8m, 0m, 0.50m),
        new("gpt-4.1", Launch, 2m, 8m, 0m, 0.50m),
        new("gpt-4.1-mini", Launch, 0.40m, 1.60m, 0m, 0.10m),
        new("gpt-4.1-nano", Launch, 0.10m, 0.40m, 0m, 0.025m),
        new("gpt-4o", Launch, 2.50m, 10m, 0m, 1.25m),
        new("gpt-4o-mini", Launch, 0.15m, 0.60m, 0m, 0.075m),
    ];

    /// <summary>The price in force for <paramref name="model"/> at <paramref name="at"/>, or null when unknown.</summary>
    public ModelPrice? Find(string? model, DateTimeOffset? at)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return null;
        }

        var name = model.Trim().ToLowerInvariant();

        // Bedrock/Vertex style names: "anthropic.claude-sonnet-4-...", "openai/gpt-5".
        var slash = name.LastIndexOf('/');
        if (slash >= 0)
        {
            name = name[(slash + 1)..];
        }

        var dot = name.IndexOf("claude", StringComparison.Ordinal);
        if (dot > 0)
        {
            name = name[dot..];
        }

        var day = DateOnly.FromDateTime((at ?? DateTimeOffset.UtcNow).UtcDateTime);
        return Match(_overrides, name, day) ?? Match(_builtIn, name, day);
    }

    /// <summary>Cost in USD of the given token counts, or null when the model has no price.</summary>
    public decimal? Cost(string? model, DateTimeOffset? at, long input, long output, long cacheWrite, long cacheRead)
    {
        var price = Find(model, at);
        if (price is null)
        {
            return null;
        }

        return ((input * price.Input) + (output * price.Output) + (cacheWrite * price.CacheWrite) + (cacheRead * price.CacheRead)) / 1_000_000m;
    }

    private static ModelPrice? Match(IReadOnlyList<ModelPrice> prices, string name, DateOnly day)
    {
        ModelPrice? best = null;
        foreach (var price in prices)
        {
            if (!Matches(name, price.Prefix) || price.EffectiveFrom > day)
            {
                continue;
            }

            if (best is null
                || price.Prefix.Length > best.Prefix.Length
                || (price.Prefix.Length == best.Prefix.Length && price.EffectiveFrom > best.EffectiveFrom))
            {
                best = price;
            }
        }

        return best;
    }

    private static bool Matches(string name, string prefix) =>
        name.StartsWith(prefix, StringComparison.Ordinal)
        && (name.Length == prefix.Length || name[prefix.Length] is '-' or '@' or ':' or '[');

    /// <summary>
    /// Reads a price file: <c>{"models": [{"prefix": "claude-opus-4-6", "effectiveFrom": "2026-01-01",
    /// "input": 5, "output": 25, "cacheWrite": 6.25, "cacheRead": 0.5}]}</c>. Throws <see cref="InvalidDataException"/>
    /// with a message naming the problem.
    /// </summary>
    public static IReadOnlyList<ModelPrice> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"price file '{path}' (ATTRIBUTION_PRICES) does not exist");
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream);
            if (document.RootElement.Arr("models") is not { } models)
            {
                throw new InvalidDataException($"price file '{path}' (ATTRIBUTION_PRICES) has no \"models\" array");
            }

            var prices = new List<ModelPrice>();
            var index = 0;
            foreach (var entry in models.EnumerateArray())
            {
                var prefix = entry.Str("prefix") ?? entry.Str("model");
                if (string.IsNullOrWhiteSpace(prefix))
                {
                    throw new InvalidDataException($"price file '{path}' entry {index}: \"prefix\" is required");
                }

                var from = entry.Str("effectiveFrom") is { } text
                    ? DateOnly.TryParse(text, CultureInfo.InvariantCulture, out var d) ? d : throw new InvalidDataException($"price file '{path}' entry {index}: bad \"effectiveFrom\" '{text}'")
                    : DateOnly.MinValue;
                prices.Add(new ModelPrice(prefix.Trim().ToLowerInvariant(), from,
                    Number(entry, "input", path, index), Number(entry, "output", path, index),
                    Number(entry, "cacheWrite", path, index, optional: true), Number(entry, "cacheRead", path, index, optional: true)));
                index++;
            }

            return prices;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"price file '{path}' (ATTRIBUTION_PRICES) is not valid JSON: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new InvalidDataException($"price file '{path}' (ATTRIBUTION_PRICES) cannot be read: {ex.Message}", ex);
        }
    }

    private static decimal Number(JsonElement entry, string name, string path, int index, bool optional = false)
    {
        if (entry.Get(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetDecimal(out var number) && number >= 0)
        {
            return number;
        }

        return optional && entry.Get(name) is null
            ? 0m
            : throw new InvalidDataException($"price file '{path}' entry {index}: \"{name}\" must be a non-negative number");
    }
}
