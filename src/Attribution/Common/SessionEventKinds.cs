namespace Attribution.Common;

/// <summary>
/// The kinds of <c>session_events</c> rows: what the transcript readers write and the engine reads. Edits are
/// recognised under a few tool names as well, so rows written before the readers settled on <c>edit</c> still count.
/// </summary>
public static class SessionEventKinds
{
    public const string Shell = "shell";
    public const string Edit = "edit";
    public const string Commit = "commit";
    public const string Branch = "branch";
    public const string Push = "push";
    public const string PullRequest = "pr";

    private static readonly HashSet<string> EditKinds = new(StringComparer.OrdinalIgnoreCase) { Edit, "write", "multiedit", "multi_edit", "notebook_edit", "file_edit", "patch", "apply_patch" };

    public static bool IsEdit(string kind) => EditKinds.Contains(kind);
}
