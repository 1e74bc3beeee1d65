namespace Attribution.Artifacts;

/// <summary>Outcome of a trailer verification.</summary>
public enum TrailerResult
{
    NoTrailer,
    Verified,
    Rejected,
}

/// <summary>
/// <see cref="SessionId"/> is the session of the last valid trailer (null unless verified); <see cref="SessionIds"/>
/// every distinct session with a valid trailer in the message; <see cref="Reason"/> goes into the link's evidence.
/// </summary>
public sealed record TrailerVerification(
    string? SessionId,
    IReadOnlyList<string> SessionIds,
    TrailerResult Result,
    string Reason,
    AttributionVerdict? Verdict = null,
    AttributionMetadata? Metadata = null);
