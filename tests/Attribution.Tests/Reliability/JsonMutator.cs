using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Attribution.Tests.Reliability;

/// <summary>
/// Deterministic mutations of a valid JSON document: truncation, bit flips, type swaps at random paths, huge strings,
/// deep nesting, invalid UTF-8 and duplicated keys. Everything depends only on the <see cref="Random"/> passed in,
/// so a (seed, case) pair always reproduces the same bytes.
/// </summary>
public static class JsonMutator
{
    public const string Truncate = "truncate";
    public const string BitFlip = "bitflip";
    public const string TypeSwap = "typeswap";
    public const string HugeString = "hugestring";
    public const string DeepNesting = "deepnesting";
    public const string InvalidUtf8 = "invalidutf8";
    public const string DuplicateKey = "duplicatekey";
    public const string Stacked = "stacked";

    public static readonly string[] Kinds = [Truncate, BitFlip, TypeSwap, HugeString, DeepNesting, InvalidUtf8, DuplicateKey, Stacked];

    /// <summary>Largest huge string in characters; the long bench run raises it.</summary>
    public static int MaxHugeString { get; set; } = 200_000;

    public static (string Kind, byte[] Body) Mutate(byte[] original, Random random)
    {
        var kind = Kinds[random.Next(Kinds.Length)];
        return (kind, Apply(kind, original, random));
    }

    public static byte[] Apply(string kind, byte[] original, Random random) => kind switch
    {
        Truncate => original[..random.Next(original.Length)],
        BitFlip => FlipBits(original, random),
        TypeSwap => ReplaceNode(original, random, r => RandomValue(r)),
        HugeString => ReplaceNode(original, random, r => JsonValue.Create(new string((char)('a' + r.Next(26)), r.Next(10_000, MaxHugeString)))),
        DeepNesting => DeepNest(original, random),
        InvalidUtf8 => InsertInvalidUtf8(original, random),
        DuplicateKey => DuplicateAKey(original, random),
        _ => Apply(Kinds[random.Next(Kinds.Length - 1)], Apply(Kinds[random.Next(Kinds.Length - 1)], original, random), random),
    };

    private static byte[] FlipBits(byte[] original, Random random)
    {
        var copy = (byte[])original.Clone();
        if (copy.Length == 0)
        {
            return copy;
        }

        var flips = random.Next(1, 9);
        for (var i = 0; i < flips; i++)
        {
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        }

        return copy;
    }

    private static byte[] ReplaceNode(byte[] original, Random random, Func<Random, JsonNode?> value)
    {
        var root = TryParse(original);
        if (root is null)
        {
            return FlipBits(original, random);
        }

        var slots = Slots(root);
        if (slots.Count == 0)
        {
            return Encoding.UTF8.GetBytes(value(random)?.ToJsonString() ?? "null");
        }

        var (parent, key, index) = slots[random.Next(slots.Count)];
        var replacement = value(random);
        if (parent is JsonObject obj)
        {
            obj[key!] = replacement;
        }
        else
        {
            ((JsonArray)parent)[index] = replacement;
        }

        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private static byte[] DeepNest(byte[] original, Random random)
    {
        const string Placeholder = "__deep_nesting_placeholder__";
        var depth = random.Next(65, 5_000);
        var open = random.Next(2) == 0 ? "[" : "{\"a\":";
        var close = open == "[" ? "]" : "}";
        var nested = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
        var marked = ReplaceNode(original, random, _ => JsonValue.Create(Placeholder));
        var text = Encoding.UTF8.GetString(marked);
        var at = text.IndexOf("\"" + Placeholder + "\"", StringComparison.Ordinal);
        return at < 0 ? Encoding.UTF8.GetBytes(nested) : Encoding.UTF8.GetBytes(text[..at] + nested + text[(at + Placeholder.Length + 2)..]);
    }

    private static byte[] InsertInvalidUtf8(byte[] original, Random random)
    {
        byte[][] invalid = [[0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF]];
        var quotes = new List<int>();
        for (var i = 0; i < original.Length; i++)
        {
            if (original[i] == (byte)'"')
            {
                quotes.Add(i);
            }
        }

        var at = quotes.Count == 0 ? random.Next(original.Length + 1) : quotes[random.Next(quotes.Count)] + 1;
        var bytes = invalid[random.Next(invalid.Length)];
        return [.. original[..at], .. bytes, .. original[at..]];
    }

    private static byte[] DuplicateAKey(byte[] original, Random random)
    {
        const string Placeholder = "__duplicate_key_placeholder__";
        var root = TryParse(original);
        var objects = root is null ? [] : Slots(root).Select(s => s.Parent).OfType<JsonObject>().Distinct().Where(o => o.Count > 0).ToList();
        if (objects.Count == 0)
        {
            return FlipBits(original, random);
        }

        var target = objects[random.Next(objects.Count)];
        var existing = target.ElementAt(random.Next(target.Count)).Key;
        target[Placeholder] = RandomValue(random);
        var text = root!.ToJsonString().Replace("\"" + Placeholder + "\"", System.Text.Json.JsonSerializer.Serialize(existing), StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>A value of a random JSON type, with edge cases (huge numbers, empty, odd unicode).</summary>
    public static JsonNode? RandomValue(Random random) => random.Next(9) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(random.Next(5) switch { 0 => 0, 1 => -1, 2 => long.MaxValue, 3 => 1.5e308, _ => random.Next() }),
        3 => JsonValue.Create(random.Next(4) switch { 0 => "", 1 => "\u0000\uFFFD\u202E" + random.Next(), 2 => "9999999999999999999999999", _ => "x" + random.Next().ToString(CultureInfo.InvariantCulture) }),
        4 => new JsonObject(),
        5 => new JsonObject { ["a"] = random.Next(), ["b"] = new JsonArray(1, "two") },
        6 => new JsonArray(),
        7 => new JsonArray(JsonValue.Create("x"), null, new JsonObject()),
        _ => JsonValue.Create("2026-13-45T99:99:99Z"),
    };

    private static JsonNode? TryParse(byte[] bytes)
    {
        try
        {
            // Materialise every object now: duplicate keys only throw when a JsonObject is first enumerated.
            var node = JsonNode.Parse(bytes);
            if (node is not null)
            {
                _ = Slots(node);
            }

            return node;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 inside a string: only found when the text is transcoded.
            return null;
        }
    }

    private static List<(JsonNode Parent, string? Key, int Index)> Slots(JsonNode root)
    {
        var slots = new List<(JsonNode, string?, int)>();
        var stack = new Stack<JsonNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node is JsonObject obj)
            {
                foreach (var (key, child) in obj)
                {
                    slots.Add((obj, key, -1));
                    if (child is not null)
                    {
                        stack.Push(child);
                    }
                }
            }
            else if (node is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    slots.Add((array, null, i));
                    if (array[i] is { } child)
                    {
                        stack.Push(child);
                    }
                }
            }
        }

        return slots;
    }
}
