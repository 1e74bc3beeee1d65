using System.Text;

namespace Attribution.Tests.Reliability;

/// <summary>Deterministic mutations of plain text (stack traces): truncation, bit flips, repeated and huge lines, odd characters.</summary>
public static class TextMutator
{
    public static readonly string[] Kinds = ["truncate", "bitflip", "repeatlines", "hugeline", "oddchars", "shuffle"];

    public static (string Kind, string Text) Mutate(string text, Random random)
    {
        var kind = Kinds[random.Next(Kinds.Length)];
        var lines = text.Split('\n');
        var mutated = kind switch
        {
            "truncate" => text[..random.Next(text.Length)],
            "bitflip" => Encoding.UTF8.GetString(Flip(Encoding.UTF8.GetBytes(text), random)),
            "repeatlines" => string.Join('\n', Enumerable.Range(0, random.Next(100, 3000)).Select(_ => lines[random.Next(lines.Length)])),
            "hugeline" => text.Insert(random.Next(text.Length), new string(':', random.Next(1000, 200_000)) + "line 9999999999999999999"),
            "oddchars" => text.Insert(random.Next(text.Length), random.Next(4) switch { 0 => "\0\r\r\n", 1 => "\uD800", 2 => "\u202E:line -5", _ => "(((((((((((" }),
            _ => string.Join('\n', lines.OrderBy(_ => random.Next())),
        };
        return (kind, mutated);
    }

    private static byte[] Flip(byte[] bytes, Random random)
    {
        for (var i = 0; i < random.Next(1, 9) && bytes.Length > 0; i++)
        {
            bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        }

        return bytes;
    }
}
