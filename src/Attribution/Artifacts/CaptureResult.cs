namespace Attribution.Artifacts;

/// <summary>What capturing one artifact did.</summary>
public enum CaptureOutcome
{
    /// <summary>The text carries no attribution metadata.</summary>
    NoMetadata,
    Captured,

    /// <summary>Already indexed: the first write won (replays, edits).</summary>
    Duplicate,

    /// <summary>Metadata present but invalid or foreign; <see cref="CaptureResult.Reason"/> says why.</summary>
    Rejected,
}

/// <summary>Outcome of a capture, with the session when metadata was valid.</summary>
public sealed record CaptureResult(CaptureOutcome Outcome, string? SessionId, string? Reason);
