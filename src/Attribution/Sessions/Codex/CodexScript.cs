using System.Globalization;
using System.Text;

namespace Attribution.Sessions.Codex;

/// <summary>A shell command a Codex Desktop "code mode" script ran through <c>tools.exec_command</c>.</summary>
public sealed record ScriptCommand(string Command, string? Workdir);

/// <summary>What a code-mode script did: the commands it ran and the patch envelopes it applied.</summary>
public sealed record ScriptCalls(IReadOnlyList<ScriptCommand> Commands, IReadOnlyList<string> Patches)
{
    public static ScriptCalls None { get; } = new([], []);
}

/// <summary>
/// Reads the JavaScript a Codex Desktop "code mode" call (<c>custom_tool_call</c> named <c>exec</c>) runs. Such a
/// script calls <c>tools.exec_command({ cmd: "...", workdir: "..." })</c> and <c>tools.apply_patch(patch)</c>;
/// the string literals are all that is read: a literal that is the value of a <c>cmd</c> (or <c>command</c>) key is
/// a command (with the <c>workdir</c> literal that follows it), a literal holding <c>*** Begin Patch</c> in a script
/// that calls <c>tools.apply_patch</c> is a patch. Commands or patches built at run time (concatenation,
/// interpolation, loops over arrays) are not seen. One pass over the text, no regular expression; pure.
/// </summary>
public static class CodexScript
{
    /// <summary>At most this many commands and patches are taken from one script.</summary>
    public const int MaxCalls = 256;

    public static ScriptCalls Read(string? script)
    {
        if (string.IsNullOrEmpty(script)
            || (!script.Contains("tools.exec_command", StringComparison.Ordinal) && !script.Contains("tools.apply_patch", StringComparison.Ordinal)))
        {
            return ScriptCalls.None;
        }

        var patches = script.Contains("apply_patch", StringComparison.Ordinal);
        var commands = new List<ScriptCommand>();
        var patchTexts = new List<string>();
        string? key = null;
        var afterColon = false;
        var workdirOwner = -1;
        var i = 0;
        while (i < script.Length)
        {
            var c = script[i];
            if (c == '/' && i + 1 < script.Length && script[i + 1] == '/')
            {
                i = SkipTo(script, i + 2, "\n");
                continue;
            }

            if (c == '/' && i + 1 < script.Length && script[i + 1] == '*')
            {
                i = SkipTo(script, i + 2, "*/");
                continue;
            }

            if (c is '"' or '\'' or '`')
            {
                var (value, end) = ReadLiteral(script, i);
                i = end;
                var next = NextNonSpace(script, i);
                if (next < script.Length && script[next] == ':' && c != '`')
                {
                    // A quoted key: { "cmd": "..." }.
                    key = value;
                    afterColon = false;
                    continue;
                }

                if (afterColon && key is "cmd" or "command" && commands.Count < MaxCalls && !string.IsNullOrWhiteSpace(value))
                {
                    commands.Add(new ScriptCommand(value, null));
                    workdirOwner = commands.Count - 1;
                }
                else if (afterColon && key is "workdir" or "cwd" && workdirOwner >= 0 && commands[workdirOwner].Workdir is null)
                {
                    commands[workdirOwner] = commands[workdirOwner] with { Workdir = value };
                }
                else if (patches && patchTexts.Count < MaxCalls && CodexPatch.Looks(value))
                {
                    patchTexts.Add(value);
                }

                afterColon = false;
                continue;
            }

            if (IsIdentifierStart(c))
            {
                var start = i;
                while (i < script.Length && IsIdentifierPart(script[i]))
                {
                    i++;
                }

                var next = NextNonSpace(script, i);
                if (next < script.Length && script[next] == ':')
                {
                    key = script[start..i];
                }

                afterColon = false;
                continue;
            }

            if (c == ':')
            {
                afterColon = true;
            }
            else if (!char.IsWhiteSpace(c))
            {
                afterColon = false;
                key = c is ',' or '{' or '}' ? null : key;
            }

            i++;
        }

        return commands.Count == 0 && patchTexts.Count == 0 ? ScriptCalls.None : new ScriptCalls(commands, patchTexts);
    }

    private static int SkipTo(string text, int from, string end)
    {
        var at = text.IndexOf(end, from, StringComparison.Ordinal);
        return at < 0 ? text.Length : at + end.Length;
    }

    private static int NextNonSpace(string text, int from)
    {
        while (from < text.Length && char.IsWhiteSpace(text[from]))
        {
            from++;
        }

        return from;
    }

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c is '_' or '$';

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    /// <summary>A string or template literal starting at <paramref name="start"/> (its quote), decoded; and where it ends.</summary>
    private static (string Value, int End) ReadLiteral(string text, int start)
    {
        var quote = text[start];
        var value = new StringBuilder();
        var i = start + 1;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == quote)
            {
                return (value.ToString(), i + 1);
            }

            if (c == '\n' && quote != '`')
            {
                // An unterminated literal ends at the line's end.
                return (value.ToString(), i);
            }

            if (c != '\\' || i + 1 >= text.Length)
            {
                value.Append(c);
                i++;
                continue;
            }

            var e = text[i + 1];
            i += 2;
            switch (e)
            {
                case 'n':
                    value.Append('\n');
                    break;
                case 't':
                    value.Append('\t');
                    break;
                case 'r':
                    value.Append('\r');
                    break;
                case 'b':
                    value.Append('\b');
                    break;
                case 'f':
                    value.Append('\f');
                    break;
                case 'v':
                    value.Append('\v');
                    break;
                case '0' when i >= text.Length || !char.IsAsciiDigit(text[i]):
                    value.Append('\0');
                    break;
                case 'x' when i + 2 <= text.Length && TryHex(text.AsSpan(i, 2), out var x):
                    value.Append((char)x);
                    i += 2;
                    break;
                case 'u' when i + 4 <= text.Length && TryHex(text.AsSpan(i, 4), out var u):
                    value.Append((char)u);
                    i += 4;
                    break;
                case '\r':
                case '\n':
                    // A line continuation.
                    break;
                default:
                    value.Append(e);
                    break;
            }
        }

        return (value.ToString(), text.Length);
    }

    private static bool TryHex(ReadOnlySpan<char> digits, out int value) =>
        int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
}
