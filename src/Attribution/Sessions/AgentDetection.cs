using System.Text.Json;
using Attribution.Common;
using Attribution.Store;

namespace Attribution.Sessions;

/// <summary>Which agent wrote a transcript, from its file name and first lines.</summary>
public static class AgentDetection
{
    /// <summary>The agent of a transcript file: Codex for <c>rollout-*</c> files, else what its first lines show, else Claude Code.</summary>
    public static async Task<string> DetectAsync(Stream stream, string path, CancellationToken cancellationToken)
    {
        if (Path.GetFileName(path).StartsWith("rollout-", StringComparison.Ordinal))
        {
            return SessionAgents.Codex;
        }

        return await RecognizedAsync(stream, cancellationToken) ?? SessionAgents.ClaudeCode;
    }

    /// <summary>The agent whose transcript format the first lines show, null when none the product reads.</summary>
    public static async Task<string?> RecognizedAsync(Stream stream, CancellationToken cancellationToken)
    {
        stream.Seek(0, SeekOrigin.Begin);
        // A few first lines decide: start with a small buffer (a 64 KiB one per new file was a third of the ingest's garbage).
        var reader = new JsonlLineReader(stream, 0, Math.Min(stream.Length, 1024 * 1024), 1024 * 1024, initialBufferBytes: 4096);
        for (var i = 0; i < 5; i++)
        {
            var read = await reader.ReadAsync(cancellationToken);
            if (read.Status is LineStatus.End or LineStatus.Oversized || read.Text.IsEmpty)
            {
                break;
            }

            try
            {
                using var document = JsonDocument.Parse(read.Text);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("payload", out _)
                    && root.Str("type") is "session_meta" or "response_item" or "event_msg" or "turn_context")
                {
                    return SessionAgents.Codex;
                }

                if (root.ValueKind == JsonValueKind.Object && root.Str("sessionId") is not null)
                {
                    return SessionAgents.ClaudeCode;
                }
            }
            catch (JsonException)
            {
                // Decided by a later line.
            }

            if (read.Status == LineStatus.Incomplete)
            {
                break;
            }
        }

        return null;
    }
}
