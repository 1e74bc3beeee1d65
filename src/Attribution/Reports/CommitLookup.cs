namespace Attribution.Reports;

/// <summary>What a commit question came to: a document, nothing, several candidates, or a bad question.</summary>
public sealed record CommitLookup(LookupOutcome Outcome, string Message, CommitAttributionDocument? Document = null, IReadOnlyList<CommitCandidate>? Candidates = null)
{
    public static CommitLookup Found(CommitAttributionDocument document) => new(LookupOutcome.Found, document.Summary, document);

    public static CommitLookup NotFound(string message) => new(LookupOutcome.NotFound, message);

    public static CommitLookup Invalid(string message) => new(LookupOutcome.Invalid, message);

    public static CommitLookup Ambiguous(string message, IReadOnlyList<CommitCandidate> candidates) => new(LookupOutcome.Ambiguous, message, Candidates: candidates);
}

/// <summary>The outcome of a lookup; each surface maps it (HTTP 200/404/409/400, exit 0/1/2/2, MCP tool error).</summary>
public enum LookupOutcome
{
    Found,
    NotFound,
    Ambiguous,
    Invalid,
}
