namespace Attribution.Linking;

/// <summary>
/// Hook for signed <c>Agents-Attribution</c> trailers (CONTRACT §7). The Artifacts feature registers the real
/// verifier; until then <see cref="NoAgentsAttributionVerifier"/> verifies nothing.
/// </summary>
public interface IAgentsAttributionVerifier
{
    /// <summary>The session id (span id) of a valid signed trailer for <paramref name="repoSlug"/>, or null when it does not verify.</summary>
    string? VerifiedSessionId(string repoSlug, string trailerValue);
}

/// <summary>Default: no signing secret known here, so no trailer verifies.</summary>
public sealed class NoAgentsAttributionVerifier : IAgentsAttributionVerifier
{
    public string? VerifiedSessionId(string repoSlug, string trailerValue) => null;
}
