namespace Attribution.Git;

/// <summary>The agent a commit names (<c>claude-code</c>, <c>codex</c>, ...), with the model when the marker names one.</summary>
public sealed record AgentMarker(string Agent, string? Model, string Evidence);
