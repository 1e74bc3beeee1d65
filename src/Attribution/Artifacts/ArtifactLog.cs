namespace Attribution.Artifacts;

/// <summary>Log events of the artifact index (ids 5001–5099). Never bodies or secrets.</summary>
internal static partial class ArtifactLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Captured {Kind} artifact {ArtifactId} of {Repo} for session {SessionId}")]
    public static partial void Captured(ILogger logger, string kind, string artifactId, string repo, string sessionId);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Ignored attribution metadata on {Kind} {ArtifactId} of {Repo} (delivery {DeliveryId}): {Reason}")]
    public static partial void Rejected(ILogger logger, string kind, string artifactId, string repo, string? deliveryId, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "Artifact sweep failed; retrying on the next tick")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Artifact sweep read {Feedback} feedback rows and {Commits} signed commits, captured {Captured}")]
    public static partial void Swept(ILogger logger, int feedback, int commits, int captured);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "No ATTRIBUTION_SIGNING_SECRET: signed attribution metadata cannot be verified and no artifact is captured")]
    public static partial void NoSecret(ILogger logger);
}
