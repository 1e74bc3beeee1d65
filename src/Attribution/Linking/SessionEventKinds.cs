namespace Attribution.Linking;

/// <summary>
/// The <c>session_events.kind</c> values the engine reads. Edits are recognised under a few names so the
/// engine stays tolerant of how the session ingest labels them.
/// </summary>
public static class SessionEventKinds
{
    public const string Commit = "commit";
    public const string Branch = "branch";
    public const string Push = "push";
    public const string PullRequest = "pr";

    private static readonly HashSet<string> EditKinds = new(StringComparer.OrdinalIgnoreCase) { "edit", "write", "multiedit", "multi_edit", "notebook_edit", "file_edit", "patch", "apply_patch" };

    public static bool IsEdit(string kind) => EditKinds.Contains(kind);
}
