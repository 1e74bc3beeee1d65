namespace Attribution.Artifacts;

/// <summary>
/// base64url without padding, as Go's <c>base64.RawURLEncoding</c>: decoding rejects <c>=</c> padding and the
/// standard alphabet's <c>+</c> and <c>/</c> (the <c>agents</c> project refuses them too), and skips CR/LF only.
/// </summary>
public static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[]? TryDecode(string text, out string? error)
    {
        error = null;
        var chars = new List<char>(text.Length + 3);
        foreach (var c in text)
        {
            if (c is '\r' or '\n')
            {
                continue;
            }

            if (c == '=')
            {
                error = "base64url must not be padded";
                return null;
            }

            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                error = "not base64url";
                return null;
            }

            chars.Add(c switch { '-' => '+', '_' => '/', _ => c });
        }

        if (chars.Count % 4 == 1)
        {
            error = "base64url has an impossible length";
            return null;
        }

        while (chars.Count % 4 != 0)
        {
            chars.Add('=');
        }

        try
        {
            return Convert.FromBase64CharArray([.. chars], 0, chars.Count);
        }
        catch (FormatException)
        {
            error = "not base64url";
            return null;
        }
    }
}
