namespace Attribution.Common;

/// <summary>
/// What the CI roll-up needs of a run: its workflow (the newest run of each counts), status and latest time, and which
/// attempt of the run the status is (a re-run keeps its run id and counts up).
/// </summary>
public sealed record CiRunState(string Provider, string? WorkflowName, string RunId, string Status, DateTimeOffset? At, int Attempt = 1);
