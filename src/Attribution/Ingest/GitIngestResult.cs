using Attribution.Git;
namespace Attribution.Ingest;

/// <summary>What one git scan did: commits read and written, missing objects skipped, and whether refs had moved at all.</summary>
public sealed record GitIngestResult(string RepoSlug, int CommitsRead, int FilesRead, int Warnings, bool RefsChanged, TimeSpan Elapsed)
{
    /// <summary>What was read of Entire checkpoints and git-ai notes; null when not looked at.</summary>
    public Sources.RecordedIngestResult? Sources { get; init; }
}
