namespace Attribution.Reports;

/// <summary>
/// The line figures of a session's commits (those shown, with their line facts read), summed: lines written, still
/// present at the default branch's head and 14 and 30 days after each commit, the same as shares of the lines written
/// where the horizon is known, lines later work by others rewrote, and the fix and revert touches of those commits.
/// </summary>
public sealed record SessionDownstreamDocument(
    int CommitsMeasured,
    int LinesWritten,
    int? LinesAtHead,
    int? LinesAfter14d,
    int? LinesAfter30d,
    double? SurvivalAtHead,
    double? Survival14d,
    double? Survival30d,
    int LinesRewrittenByOthers,
    int FixCount,
    int RevertCount);
