using Attribution.Hosting;
using Attribution.Linking;
using Microsoft.Extensions.Options;

namespace Attribution.Artifacts;

/// <summary>
/// The linking engine's verifier of <c>Agents-Attribution</c> trailers: valid only with this deployment's signing
/// secret and instance id, and the commit's repository (CONTRACT §7). Rejected or unsigned trailers link nothing.
/// </summary>
public sealed class SignedTrailerVerifier(IOptions<SigningOptions> options) : IAgentsAttributionVerifier
{
    public SignedTrailerVerdict? Verify(string repoSlug, string trailerValue)
    {
        var key = SigningKey.From(options.Value);
        if (!key.HasSecret)
        {
            return null;
        }

        var result = AttributionTrailerVerifier.Verify([new KeyValuePair<string, string>(AttributionMarkers.TrailerKey, trailerValue)], repoSlug, key);
        return result.Result == TrailerResult.Verified && result.SessionId is { } session
            ? new SignedTrailerVerdict(session, $"{result.Reason} (instance {key.InstanceId})")
            : null;
    }
}
