namespace Attribution.Reports;

/// <summary>
/// The one rule for naming a session by its id: the exact id, or a unique prefix of at least
/// <see cref="MinPrefixLength"/> characters (agent ids are UUIDs; eight characters is what people copy).
/// </summary>
public static class SessionIdMatch
{
    public const int MinPrefixLength = 8;

    /// <summary>At most this many candidates are listed for an ambiguous prefix.</summary>
    public const int MaxCandidates = 10;

    /// <summary>Whether <paramref name="text"/> may be looked up as a prefix (long enough, no spaces).</summary>
    public static bool CanBePrefix(string text) => text.Length >= MinPrefixLength && !text.Any(char.IsWhiteSpace);

    public static string AmbiguousMessage(string prefix, int count) =>
        $"session id prefix {prefix} matches {(count > MaxCandidates ? "more than " + MaxCandidates : count.ToString(System.Globalization.CultureInfo.InvariantCulture))} sessions; give more characters";

    public static string UnknownMessage(string id) =>
        id.Length < MinPrefixLength
            ? $"unknown session {id} (a prefix needs at least {MinPrefixLength} characters)"
            : $"unknown session {id}";
}
