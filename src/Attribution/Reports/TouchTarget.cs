namespace Attribution.Reports;

/// <summary>One piece of work a later commit touched (a commit, or a PR), with how many of its lines the touch changed (null: not measured).</summary>
public sealed record TouchTarget(string Kind, string Key, int? LinesChanged, bool BelowThreshold);
