namespace Attribution.Linking;

/// <summary>
/// Session ids named by commit trailers such as <c>Claude-Session: https://claude.ai/code/session_01AB</c>,
/// <c>Codex-Session: &lt;id&gt;</c> or <c>Session-Id: &lt;id&gt;</c>.
/// </summary>
public static class SessionTrailers
{
    public const string AgentsAttribution = "Agents-Attribution";

    /// <summary>Candidate session ids for one trailer (the value's last path segment, with and without a <c>session_</c> prefix).</summary>
    public static IReadOnlyList<string> Candidates(string key, string value)
    {
        var k = key.ToLowerInvariant();
        if (!(k.EndsWith("-session", StringComparison.Ordinal) || k is "session" or "session-id" or "agent-session-id"))
        {
            return [];
        }

        var v = value.Trim().TrimEnd('/');
        var segment = v[(v.LastIndexOf('/') + 1)..].Trim();
        var query = segment.IndexOfAny(['?', '#']);
        if (query >= 0)
        {
            segment = segment[..query];
        }

        if (segment.Length == 0)
        {
            return [];
        }

        return segment.StartsWith("session_", StringComparison.OrdinalIgnoreCase)
            ? [segment, segment["session_".Length..]]
            : [segment];
    }
}
