namespace Attribution.Reports;

/// <summary>What a session question came to: a document, nothing, several candidates (an ambiguous prefix), or a bad question.</summary>
public sealed record SessionLookup(LookupOutcome Outcome, string Message, SessionAttributionDocument? Document = null, IReadOnlyList<SessionCandidate>? Candidates = null)
{
    public static SessionLookup Found(SessionAttributionDocument document) => new(LookupOutcome.Found, document.Summary, document);

    public static SessionLookup NotFound(string message) => new(LookupOutcome.NotFound, message);

    public static SessionLookup Invalid(string message) => new(LookupOutcome.Invalid, message);

    public static SessionLookup Ambiguous(string message, IReadOnlyList<SessionCandidate> candidates) => new(LookupOutcome.Ambiguous, message, Candidates: candidates);

    /// <summary>One line per candidate, for a CLI or MCP error.</summary>
    public string CandidateText => Candidates is null ? "" : string.Join("; ", Candidates.Select(c => c.Describe()));
}
