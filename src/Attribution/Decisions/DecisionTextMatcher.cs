namespace Attribution.Decisions;

/// <summary>
/// The text part of <c>queryDecisions</c>, pure: the share of query words (2+ letters, any case) found in a
/// decision's summary, category, feature, file or context. CSTP ranks by embedding similarity; this is the
/// dependable lexical stand-in.
/// </summary>
public static class DecisionTextMatcher
{
    public static IReadOnlyList<string> Terms(string? query) =>
        string.IsNullOrWhiteSpace(query)
            ? []
            : query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
                .Select(t => t.Trim('"', '\'', ',', '.', ';', ':', '(', ')').ToLowerInvariant())
                .Where(t => t.Length >= 2)
                .Distinct(StringComparer.Ordinal)
                .Take(32)
                .ToList();

    /// <summary>0 (no term found) to 1 (every term found); 1 when there are no terms.</summary>
    public static double Score(IReadOnlyList<string> terms, params string?[] fields)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(fields);
        if (terms.Count == 0)
        {
            return 1;
        }

        var found = terms.Count(t => fields.Any(f => f is not null && f.Contains(t, StringComparison.OrdinalIgnoreCase)));
        return (double)found / terms.Count;
    }
}
