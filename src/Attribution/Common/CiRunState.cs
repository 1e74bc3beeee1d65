namespace Attribution.Common;

/// <summary>What the CI roll-up needs of a run: its workflow (the newest run of each counts), status and latest time.</summary>
public sealed record CiRunState(string Provider, string? WorkflowName, string RunId, string Status, DateTimeOffset? At);
