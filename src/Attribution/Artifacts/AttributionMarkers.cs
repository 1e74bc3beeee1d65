using System.Text;
using System.Text.RegularExpressions;

namespace Attribution.Artifacts;

/// <summary>
/// Where metadata travels: the hidden comment <c>&lt;!-- agents-run: {json} --&gt;</c> in comment and review
/// bodies, and the <c>Agents-Attribution: &lt;base64url JSON&gt;</c> trailer in commit messages.
/// </summary>
public static partial class AttributionMarkers
{
    public const string TrailerKey = "Agents-Attribution";
    public const string RunTrailerKey = "Agents-Run";
    public const string AgentTrailerKey = "Agents-Agent";

    public static string CommentMarker(AttributionMetadata metadata) => "<!-- agents-run: " + AttributionJson.Serialize(metadata) + " -->";

    public static string TrailerValue(AttributionMetadata metadata) => Base64Url.Encode(Encoding.UTF8.GetBytes(AttributionJson.Serialize(metadata)));

    public static string TrailerLine(AttributionMetadata metadata) => TrailerKey + ": " + TrailerValue(metadata);

    /// <summary>Decodes one trailer value; null with <paramref name="error"/> when it is not base64url JSON metadata.</summary>
    public static AttributionMetadata? DecodeTrailerValue(string value, out string? error)
    {
        var bytes = Base64Url.TryDecode(value.Trim(), out error);
        if (bytes is null)
        {
            error = "attribution trailer: " + error;
            return null;
        }

        string json;
        try
        {
            json = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            error = "attribution trailer is not UTF-8";
            return null;
        }

        return AttributionJson.TryParse(json, out error);
    }

    /// <summary>Every hidden-comment marker in a body, in order, decoded or with the reason it could not be.</summary>
    public static IReadOnlyList<MetadataCandidate> FindInBody(string? body)
    {
        if (string.IsNullOrEmpty(body) || !body.Contains("agents-run:", StringComparison.Ordinal))
        {
            return [];
        }

        var found = new List<MetadataCandidate>();
        try
        {
            foreach (Match match in CommentRegex().Matches(body))
            {
                var metadata = AttributionJson.TryParse(match.Groups[1].Value, out var error);
                found.Add(new MetadataCandidate(metadata, error));
            }
        }
        catch (RegexMatchTimeoutException)
        {
            found.Add(new MetadataCandidate(null, "body too complex to scan for attribution metadata"));
        }

        return found;
    }

    /// <summary>Every <c>Agents-Attribution</c> trailer in a commit message, in order.</summary>
    public static IReadOnlyList<MetadataCandidate> FindInMessage(string? message)
    {
        if (string.IsNullOrEmpty(message) || !message.Contains(TrailerKey, StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var found = new List<MetadataCandidate>();
        foreach (Match match in TrailerRegex().Matches(message))
        {
            var metadata = DecodeTrailerValue(match.Groups[1].Value, out var error);
            found.Add(new MetadataCandidate(metadata, error));
        }

        return found;
    }

    /// <summary>
    /// The verdict on a body's metadata: the first valid marker, else the first rejection; null when the body
    /// carries no marker at all.
    /// </summary>
    public static AttributionCheck? CheckBody(string? body, SigningKey key, string repo, long? number) =>
        Pick(FindInBody(body), key, repo, number);

    /// <summary>
    /// The verdict on a commit message's trailers. A squash merge may hold several; the first valid one wins, as in
    /// the agents project (its resolver keeps the first exact match and its capture inserts only if absent).
    /// </summary>
    public static AttributionCheck? CheckMessage(string? message, SigningKey key, string repo) =>
        Pick(FindInMessage(message), key, repo, null);

    /// <summary>The first valid candidate in text order, else the first rejection; null when there is none.</summary>
    internal static AttributionCheck? Pick(IReadOnlyList<MetadataCandidate> candidates, SigningKey key, string repo, long? number)
    {
        if (candidates.Count == 0)
        {
            return null;
        }

        AttributionCheck? firstRejection = null;
        AttributionCheck? chosen = null;
        foreach (var candidate in candidates)
        {
            var check = candidate.Metadata is null
                ? new AttributionCheck(AttributionVerdict.Malformed, candidate.Error ?? "malformed attribution metadata", null)
                : AttributionSigner.Verify(candidate.Metadata, key, repo, number);
            if (check.IsValid)
            {
                chosen = check;
                break;
            }
            else
            {
                firstRejection ??= check;
            }
        }

        return chosen ?? firstRejection;
    }

    // The agents project's pattern, (?s)<!--\s*agents-run:\s*(\{.*?\})\s*--> in RE2: case-sensitive, \s ASCII only.
    // The JSON cannot contain "-->" (Go escapes '>' as \u003e), so the lazy match ends at the marker's own close.
    [GeneratedRegex(@"<!--[ \t\n\f\r]*agents-run:[ \t\n\f\r]*(\{.*?\})[ \t\n\f\r]*-->", RegexOptions.Singleline | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CommentRegex();

    [GeneratedRegex(@"^[ \t]*Agents-Attribution[ \t]*:[ \t]*(\S+)[ \t]*\r?$", RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, matchTimeoutMilliseconds: 1000)]
    private static partial Regex TrailerRegex();
}

/// <summary>One marker found in a text: its metadata, or why it could not be read.</summary>
public sealed record MetadataCandidate(AttributionMetadata? Metadata, string? Error);
