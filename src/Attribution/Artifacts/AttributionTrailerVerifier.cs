namespace Attribution.Artifacts;

/// <summary>
/// For the linking engine: does a commit carry a verified <c>Agents-Attribution</c> trailer, and for which
/// session? A valid trailer makes an <c>authored</c> link (confidence 1.0) to <see cref="TrailerVerification.SessionId"/>.
/// </summary>
public static class AttributionTrailerVerifier
{
    /// <summary>Verifies the trailers of a full commit message for <paramref name="repo"/>.</summary>
    public static TrailerVerification Verify(string? message, string repo, SigningKey key) =>
        From(AttributionMarkers.FindInMessage(message), repo, key);

    /// <summary>Verifies already-parsed trailers (key, value); keys compare case-insensitively.</summary>
    public static TrailerVerification Verify(IEnumerable<KeyValuePair<string, string>> trailers, string repo, SigningKey key) =>
        From(
            trailers.Where(t => string.Equals(t.Key.Trim(), AttributionMarkers.TrailerKey, StringComparison.OrdinalIgnoreCase))
                .Select(t => new MetadataCandidate(AttributionMarkers.DecodeTrailerValue(t.Value, out var error), error))
                .ToList(),
            repo,
            key);

    private static TrailerVerification From(IReadOnlyList<MetadataCandidate> candidates, string repo, SigningKey key)
    {
        var check = AttributionMarkers.Pick(candidates, key, repo, null);
        if (check is null)
        {
            return new TrailerVerification(null, [], TrailerResult.NoTrailer, "no Agents-Attribution trailer");
        }

        if (!check.IsValid)
        {
            return new TrailerVerification(null, [], TrailerResult.Rejected, check.Reason, check.Verdict);
        }

        // A squash merge can carry the trailers of several sessions: each of them authored part of it.
        var sessions = candidates
            .Where(c => c.Metadata is not null)
            .Select(c => AttributionSigner.Verify(c.Metadata!, key, repo, null))
            .Where(c => c.IsValid)
            .Select(c => c.Metadata!.SpanId)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new TrailerVerification(check.Metadata!.SpanId, sessions, TrailerResult.Verified, check.Reason, check.Verdict, check.Metadata);
    }
}
