namespace Attribution.Reports;

/// <summary>
/// One later commit touching a commit's files (not the same work): <c>revert</c>, <c>fix</c> (a fix that changed this
/// work's lines) or <c>other</c>, and how many of this work's lines it removed or rewrote (null: not known).
/// </summary>
public sealed record DownstreamTouchItem(string Sha, string Classification, DateTimeOffset TouchedAt, int? LinesChanged);
