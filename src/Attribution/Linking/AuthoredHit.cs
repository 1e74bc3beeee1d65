namespace Attribution.Linking;

/// <summary>A commit a session's own <c>git commit</c> output named, resolved to exactly one full sha of the repository.</summary>
public sealed record AuthoredHit(string SessionId, string Sha, string ShortSha, DateTimeOffset Ts, string? Command, string? Output);
