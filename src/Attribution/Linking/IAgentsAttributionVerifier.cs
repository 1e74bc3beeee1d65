namespace Attribution.Linking;

/// <summary>
/// Verifies signed <c>Agents-Attribution</c> trailers (CONTRACT §7) for the linking engine. The Artifacts feature
/// registers the real verifier; <see cref="NoAgentsAttributionVerifier"/> is the default when none is known.
/// </summary>
public interface IAgentsAttributionVerifier
{
    /// <summary>The session a valid signed trailer names for <paramref name="repoSlug"/>, with the verification result; null when it does not verify.</summary>
    SignedTrailerVerdict? Verify(string repoSlug, string trailerValue);
}

/// <summary>A trailer that verified: the session (span id) it names and how it verified, for the link's evidence.</summary>
public sealed record SignedTrailerVerdict(string SessionId, string Verification);

/// <summary>Default: no signing secret known here, so no trailer verifies.</summary>
public sealed class NoAgentsAttributionVerifier : IAgentsAttributionVerifier
{
    public SignedTrailerVerdict? Verify(string repoSlug, string trailerValue) => null;
}
