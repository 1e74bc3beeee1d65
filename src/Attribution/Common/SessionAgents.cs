namespace Attribution.Common;

/// <summary>Agent names stored in <c>sessions.agent</c>.</summary>
public static class SessionAgents
{
    public const string ClaudeCode = "claude-code";
    public const string Codex = "codex";
}
