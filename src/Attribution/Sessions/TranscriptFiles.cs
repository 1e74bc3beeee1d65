using System.Security.Cryptography;
using System.Text.Json;

namespace Attribution.Sessions;

/// <summary>
/// Where transcripts are and how a file read before is recognised: the default folders, the <c>*.jsonl</c> files under
/// inputs, the head hash that tells an appended file from a replaced one, and whether a last line is already whole.
/// </summary>
public static class TranscriptFiles
{
    /// <summary>How many first bytes of a file its head hash covers.</summary>
    public const int HeadBytes = 4096;

    /// <summary>The default transcript folders: Claude Code projects and Codex sessions.</summary>
    public static IReadOnlyList<string> DefaultFolders()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var claude = Environment.GetEnvironmentVariable("CLAUDE_CONFIG_DIR") is { Length: > 0 } c ? c : Path.Combine(home, ".claude");
        var codex = Environment.GetEnvironmentVariable("CODEX_HOME") is { Length: > 0 } x ? x : Path.Combine(home, ".codex");
        return [Path.Combine(claude, "projects"), Path.Combine(codex, "sessions")];
    }

    /// <summary>Every <c>*.jsonl</c> under the given files and folders, in a stable order.</summary>
    public static IReadOnlyList<string> ExpandPaths(IEnumerable<string> inputs)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            var full = Path.GetFullPath(input);
            if (File.Exists(full))
            {
                files.Add(full);
            }
            else if (Directory.Exists(full))
            {
                var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
                foreach (var file in Directory.EnumerateFiles(full, "*.jsonl", options))
                {
                    files.Add(file);
                }
            }
        }

        return [.. files];
    }

    /// <summary>Whether a line the reader saw as incomplete (no newline yet) already holds a whole JSON object.</summary>
    public static bool IsCompleteRecord(ReadOnlyMemory<byte> text)
    {
        if (text.IsEmpty || text.Span.TrimEnd(" \t\r"u8) is not { Length: > 0 } trimmed || trimmed[^1] != (byte)'}')
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The length and SHA-256 of a file's first bytes: a changed head means the file was replaced, not appended to.</summary>
    public static Task<string> HeadHashAsync(Stream stream, long length, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Span<byte> buffer = stackalloc byte[HeadBytes];
        buffer = buffer[..(int)Math.Min(length, HeadBytes)];
        stream.Seek(0, SeekOrigin.Begin);
        stream.ReadExactly(buffer);
        return Task.FromResult($"{buffer.Length}:{Convert.ToHexStringLower(SHA256.HashData(buffer))}");
    }

    /// <summary>Whether the file still starts with the bytes a stored head hash names.</summary>
    public static async Task<bool> HeadMatchesAsync(Stream stream, string? stored, CancellationToken cancellationToken)
    {
        var colon = stored?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (stored is null || colon < 1 || !long.TryParse(stored.AsSpan(0, colon), out var length) || length > stream.Length)
        {
            return false;
        }

        return await HeadHashAsync(stream, length, cancellationToken) == stored;
    }
}
