namespace Attribution.Artifacts;

/// <summary>Why signed attribution metadata was accepted or rejected.</summary>
public enum AttributionVerdict
{
    Valid,

    /// <summary>No <c>ATTRIBUTION_SIGNING_SECRET</c> is configured: nothing can be verified.</summary>
    NoSecret,

    /// <summary>Not decodable: bad base64url (padding included), not JSON, wrong field types, no span id.</summary>
    Malformed,
    Unsigned,
    UnsupportedVersion,
    InstanceMismatch,
    RepoMismatch,

    /// <summary>The metadata names another workspace than the one asked about (the deployment's, or the query's).</summary>
    WorkspaceMismatch,

    /// <summary>The metadata names another issue/PR than the one the feedback sits on (copied metadata).</summary>
    NumberMismatch,
    InvalidSignature,
}
