using System.Text;

namespace Attribution.Sessions.Codex;

/// <summary>One file in an <c>apply_patch</c> envelope and the lines it adds.</summary>
public sealed record PatchedFile(string Path, string Operation, string AddedText);

/// <summary>Reads Codex <c>apply_patch</c> envelopes (<c>*** Add File:</c>, <c>*** Update File:</c>, <c>*** Delete File:</c>, <c>*** Move to:</c>). Pure.</summary>
public static class CodexPatch
{
    public static bool Looks(string? text) => text is not null && text.Contains("*** Begin Patch", StringComparison.Ordinal);

    public static IReadOnlyList<PatchedFile> Parse(string patch)
    {
        var files = new List<PatchedFile>();
        string? path = null;
        string? operation = null;
        var added = new StringBuilder();

        void Flush()
        {
            if (path is not null && operation is not null)
            {
                files.Add(new PatchedFile(path, operation, added.ToString()));
            }

            path = null;
            operation = null;
            added.Clear();
        }

        foreach (var raw in patch.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("*** Add File: ", StringComparison.Ordinal))
            {
                Flush();
                (path, operation) = (line["*** Add File: ".Length..].Trim(), "add");
            }
            else if (line.StartsWith("*** Update File: ", StringComparison.Ordinal))
            {
                Flush();
                (path, operation) = (line["*** Update File: ".Length..].Trim(), "update");
            }
            else if (line.StartsWith("*** Delete File: ", StringComparison.Ordinal))
            {
                Flush();
                (path, operation) = (line["*** Delete File: ".Length..].Trim(), "delete");
            }
            else if (line.StartsWith("*** Move to: ", StringComparison.Ordinal) && path is not null)
            {
                path = line["*** Move to: ".Length..].Trim();
            }
            else if (line.StartsWith("*** End Patch", StringComparison.Ordinal))
            {
                Flush();
            }
            else if (path is not null && line.StartsWith('+') && added.Length <= TranscriptParser.MaxAddedText)
            {
                added.Append(line.AsSpan(1)).Append('\n');
            }
        }

        Flush();
        return files;
    }
}
