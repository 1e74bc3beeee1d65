using System.Globalization;
using System.Text.RegularExpressions;

namespace Attribution.Decisions.Bugs;

/// <summary>
/// Reads file:line frames out of Python, .NET, Java, Go and JavaScript stack traces. Pure. Every dialect
/// is tried on every line; the dialect with the most frames wins (a log around the trace is ignored).
/// Frames come back innermost first (Python prints them outermost first, so those are reversed).
/// </summary>
public static partial class StackTraceParser
{
    public const string Python = "python";
    public const string DotNet = "dotnet";
    public const string Java = "java";
    public const string Go = "go";
    public const string JavaScript = "javascript";

    public const int MaxFrames = 500;

    public const int MaxLineLength = 4000;

    public static ParsedStackTrace Parse(string? trace)
    {
        if (string.IsNullOrWhiteSpace(trace))
        {
            return new ParsedStackTrace(null, []);
        }

        // Overlong lines are no frames of any dialect; dropping them keeps the regexes linear on hostile input.
        var lines = trace.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Where(l => l.Length <= MaxLineLength).ToList();
        var candidates = new[]
        {
            (Dialect: Python, Frames: ParsePython(lines)),
            (Dialect: DotNet, Frames: ParseDotNet(lines)),
            (Dialect: Java, Frames: ParseJava(lines)),
            (Dialect: Go, Frames: ParseGo(lines)),
            (Dialect: JavaScript, Frames: ParseJavaScript(lines)),
        };
        var best = candidates.OrderByDescending(c => c.Frames.Count).First();
        return best.Frames.Count == 0 ? new ParsedStackTrace(null, []) : new ParsedStackTrace(best.Dialect, best.Frames.Take(MaxFrames).ToList());
    }

    /// <summary><c>  File "app/x.py", line 12, in f</c>; printed outermost first.</summary>
    public static IReadOnlyList<StackFrame> ParsePython(IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var frames = new List<StackFrame>();
        foreach (var line in lines)
        {
            var m = PythonFrame().Match(line);
            if (m.Success && TryLine(m.Groups["line"].Value, out var number))
            {
                frames.Add(new StackFrame(m.Groups["file"].Value, number, NullIfEmpty(m.Groups["fn"].Value)));
            }
        }

        frames.Reverse();
        return frames;
    }

    /// <summary><c>   at Ns.C.M(String x) in /src/x.cs:line 42</c>; frames without a file (no PDB) carry no line and are skipped.</summary>
    public static IReadOnlyList<StackFrame> ParseDotNet(IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var frames = new List<StackFrame>();
        foreach (var line in lines)
        {
            var m = DotNetFrame().Match(line);
            if (m.Success && TryLine(m.Groups["line"].Value, out var number))
            {
                frames.Add(new StackFrame(m.Groups["file"].Value.Trim(), number, m.Groups["fn"].Value));
            }
        }

        return frames;
    }

    /// <summary>
    /// <c>\tat com.x.Y.m(Y.java:42)</c>. Java names only the file, so the package becomes its folder
    /// (<c>com/x/Y.java</c>), which the repository mapping then matches as a suffix of e.g. <c>src/main/java/com/x/Y.java</c>.
    /// </summary>
    public static IReadOnlyList<StackFrame> ParseJava(IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var frames = new List<StackFrame>();
        foreach (var line in lines)
        {
            var m = JavaFrame().Match(line);
            if (!m.Success || !TryLine(m.Groups["line"].Value, out var number))
            {
                continue;
            }

            var method = m.Groups["fn"].Value;
            method = method[(method.LastIndexOf('/') + 1)..]; // Java 9+ prefixes a class loader/module: app//com.x.Y.m
            var file = m.Groups["file"].Value;
            var lastDot = method.LastIndexOf('.');
            var className = lastDot > 0 ? method[..lastDot] : method;
            var packageEnd = className.LastIndexOf('.');
            var path = packageEnd > 0 ? className[..packageEnd].Replace('.', '/') + "/" + file : file;
            frames.Add(new StackFrame(path, number, method));
        }

        return frames;
    }

    /// <summary>Go panics: a function line, then <c>\t/home/u/proj/x.go:42 +0x1d</c>.</summary>
    public static IReadOnlyList<StackFrame> ParseGo(IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var frames = new List<StackFrame>();
        for (var i = 0; i < lines.Count; i++)
        {
            var m = GoFrame().Match(lines[i]);
            if (m.Success && TryLine(m.Groups["line"].Value, out var number))
            {
                var function = i > 0 ? GoFunction().Match(lines[i - 1]) : Match.Empty;
                frames.Add(new StackFrame(m.Groups["file"].Value, number, function.Success ? function.Groups["fn"].Value : null));
            }
        }

        return frames;
    }

    /// <summary>V8 frames: <c>at f (/app/src/x.js:10:5)</c>, <c>at /app/x.js:10:5</c>, <c>at async f (file:///app/x.mjs:3:1)</c>.</summary>
    public static IReadOnlyList<StackFrame> ParseJavaScript(IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var frames = new List<StackFrame>();
        foreach (var line in lines)
        {
            var m = JavaScriptNamedFrame().Match(line);
            if (!m.Success)
            {
                m = JavaScriptBareFrame().Match(line);
            }

            if (!m.Success || !TryLine(m.Groups["line"].Value, out var number))
            {
                continue;
            }

            var file = m.Groups["file"].Value;
            if (file.StartsWith("node:", StringComparison.Ordinal))
            {
                continue; // Node's own modules are never repository files.
            }

            if (file.StartsWith("file://", StringComparison.Ordinal))
            {
                file = Uri.UnescapeDataString(file["file://".Length..]);
            }

            int? column = int.TryParse(m.Groups["col"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : null;
            frames.Add(new StackFrame(file, number, NullIfEmpty(m.Groups["fn"].Value), column));
        }

        return frames;
    }

    private static bool TryLine(string text, out int line) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out line) && line > 0;

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    [GeneratedRegex("""^\s*File "(?<file>[^"]+)", line (?<line>\d{1,9})(?:, in (?<fn>\S.*?))?\s*$""", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 200)]
    private static partial Regex PythonFrame();

    [GeneratedRegex(@"^\s*at (?<fn>[^\s(][^(]*\(.*?\)) in (?<file>.+?):line (?<line>\d{1,9})\s*$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 200)]
    private static partial Regex DotNetFrame();

    [GeneratedRegex(@"^\s*at (?<fn>[\w$.<>/]+)\((?<file>[\w$-]+\.(?:java|kt|scala|groovy)):(?<line>\d{1,9})\)\s*$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 200)]
    private static partial Regex JavaFrame();

    [GeneratedRegex(@"^\s*(?<file>\S+\.go):(?<line>\d{1,9})(?: \+0x[0-9a-fA-F]+)?\s*$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 200)]
    private static partial Regex GoFrame();

    [GeneratedRegex(@"^(?:created by )?(?<fn>[^\s(]+)(?:\(.*\))?(?: in goroutine \d+)?\s*$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 200)]
    private static partial Regex GoFunction();

    [GeneratedRegex(@"^\s*at (?:async )?(?<fn>[^\s(][^(]*?) \((?<file>[^()]+?):(?<line>\d{1,9}):(?<col>\d{1,9})\)\s*$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 200)]
    private static partial Regex JavaScriptNamedFrame();

    [GeneratedRegex(@"^\s*at (?:async )?(?<file>[^\s()]+?):(?<line>\d{1,9}):(?<col>\d{1,9})\s*$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, 200)]
    private static partial Regex JavaScriptBareFrame();
}
