namespace Attribution.Stages;

/// <summary>
/// The provider family of a session (claude, codex, ollama, aider, cursor, copilot, ...), from its agent and
/// model. Configured rules (<c>Attribution:Providers:Families</c>) are tried first, then the built-in ones.
/// A rule key is <c>agent:NAME</c> or <c>model:PREFIX</c>; its value is the family.
/// </summary>
public sealed class ProviderFamilies(IReadOnlyDictionary<string, string>? rules = null)
{
    private readonly IReadOnlyList<(bool IsModel, string Match, string Family)> _rules = (rules ?? new Dictionary<string, string>())
        .Select(r => Parse(r.Key, r.Value))
        .Where(r => r is not null)
        .Select(r => r!.Value)
        .OrderByDescending(r => r.IsModel)
        .ThenByDescending(r => r.Match.Length)
        .ToList();

    public string Of(string? agent, string? model)
    {
        var a = agent?.Trim().ToLowerInvariant() ?? "";
        var m = model?.Trim().ToLowerInvariant() ?? "";
        foreach (var (isModel, match, family) in _rules)
        {
            if (isModel ? m.StartsWith(match, StringComparison.Ordinal) : a == match)
            {
                return family;
            }
        }

        if (m.StartsWith("ollama/", StringComparison.Ordinal) || m.StartsWith("ollama_chat/", StringComparison.Ordinal) || a == "ollama")
        {
            return "ollama";
        }

        return a switch
        {
            "claude-code" or "claude" => "claude",
            "codex" or "codex-cli" => "codex",
            "" when m.StartsWith("claude", StringComparison.Ordinal) => "claude",
            "" when m.StartsWith("gpt-", StringComparison.Ordinal) || m.StartsWith("o3", StringComparison.Ordinal) || m.StartsWith("o4", StringComparison.Ordinal) => "codex",
            "" => "unknown",
            _ => a,
        };
    }

    private static (bool IsModel, string Match, string Family)? Parse(string key, string family)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || string.IsNullOrWhiteSpace(family))
        {
            return null;
        }

        var kind = key[..colon].Trim().ToLowerInvariant();
        var match = key[(colon + 1)..].Trim().ToLowerInvariant();
        return kind is "agent" or "model" && match.Length > 0 ? (kind == "model", match, family.Trim().ToLowerInvariant()) : null;
    }
}
