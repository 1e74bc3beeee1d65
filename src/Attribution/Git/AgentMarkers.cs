using System.Text.RegularExpressions;

namespace Attribution.Git;

/// <summary>
/// Recognises the marks coding agents leave on commits: co-author trailers, author identities and
/// "Generated with" footers. Pure; used by the git reader and usable by push handlers.
/// </summary>
public static partial class AgentMarkers
{
    /// <summary>The first agent the commit names, or null.</summary>
    public static AgentMarker? Detect(
        string? message,
        IReadOnlyList<KeyValuePair<string, string>> trailers,
        string? authorName,
        string? authorEmail,
        string? committerEmail = null)
    {
        foreach (var (key, value) in trailers)
        {
            var marker = FromTrailer(key, value);
            if (marker is not null)
            {
                return marker;
            }
        }

        var fromIdentity = FromIdentity(authorName, authorEmail) ?? FromIdentity(null, committerEmail);
        if (fromIdentity is not null)
        {
            return fromIdentity;
        }

        if (message is not null)
        {
            // Co-author lines outside a clean trailer block still count.
            foreach (Match m in CoAuthorLine().Matches(message))
            {
                var marker = FromTrailer("Co-Authored-By", m.Groups["value"].Value.Trim());
                if (marker is not null)
                {
                    return marker;
                }
            }

            if (message.Contains("Generated with [Claude Code]", StringComparison.OrdinalIgnoreCase))
            {
                return new AgentMarker("claude-code", null, "Generated with [Claude Code]");
            }
        }

        return null;
    }

    private static AgentMarker? FromTrailer(string key, string value)
    {
        if (key.Equals("Made-with", StringComparison.OrdinalIgnoreCase) && value.Contains("cursor", StringComparison.OrdinalIgnoreCase))
        {
            return new AgentMarker("cursor", null, $"{key}: {value}");
        }

        if (!key.Equals("Co-Authored-By", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var evidence = $"{key}: {value}";
        var lower = value.ToLowerInvariant();
        if (lower.Contains("noreply@anthropic.com", StringComparison.Ordinal) && lower.StartsWith("claude", StringComparison.Ordinal))
        {
            return new AgentMarker("claude-code", ClaudeModel(value), evidence);
        }

        if (lower.StartsWith("codex", StringComparison.Ordinal) || lower.Contains("noreply@openai.com", StringComparison.Ordinal))
        {
            return new AgentMarker("codex", null, evidence);
        }

        if (lower.StartsWith("aider", StringComparison.Ordinal))
        {
            var model = AiderModel().Match(value);
            return new AgentMarker("aider", model.Success ? model.Groups["model"].Value.Trim() : null, evidence);
        }

        return FromIdentity(null, value) is { } identity ? identity with { Evidence = evidence } : null;
    }

    private static AgentMarker? FromIdentity(string? name, string? email)
    {
        if (name is not null && name.TrimEnd().EndsWith("(aider)", StringComparison.OrdinalIgnoreCase))
        {
            return new AgentMarker("aider", null, $"author {name}");
        }

        if (string.IsNullOrEmpty(email))
        {
            return null;
        }

        var lower = email.ToLowerInvariant();
        (string Needle, string Agent)[] table =
        [
            ("cursoragent@cursor.com", "cursor"),
            ("copilot@users.noreply.github.com", "copilot"),
            ("google-labs-jules[bot]", "jules"),
            ("devin-ai-integration[bot]", "devin"),
            ("openhands@all-hands.dev", "openhands"),
            ("amp@ampcode.com", "amp"),
        ];
        foreach (var (needle, agent) in table)
        {
            if (lower.Contains(needle, StringComparison.Ordinal))
            {
                return new AgentMarker(agent, null, email);
            }
        }

        return null;
    }

    /// <summary><c>Claude Opus 4.6 &lt;noreply@anthropic.com&gt;</c> → <c>claude-opus-4-6</c>; plain <c>Claude</c> → null.</summary>
    internal static string? ClaudeModel(string value)
    {
        var name = value.Split('<', 2)[0].Trim();
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2)
        {
            return null;
        }

        var parts = words.Select(w => w.ToLowerInvariant().Replace('.', '-'));
        return string.Join('-', parts);
    }

    [GeneratedRegex(@"^\s*co-authored-by:\s*(?<value>.+)$", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex CoAuthorLine();

    [GeneratedRegex(@"aider\s*\((?<model>[^)]*)\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex AiderModel();
}
