namespace Attribution.Providers;

/// <summary>A PR named by <c>Reverts owner/repo#N</c> (or <c>Reverts #N</c>, this repository) in a merged PR's body.</summary>
public sealed record RevertTarget(string RepoSlug, long Number);
