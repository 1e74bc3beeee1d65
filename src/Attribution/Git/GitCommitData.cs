namespace Attribution.Git;

/// <summary>One commit as read from a clone.</summary>
public sealed record GitCommitData(
    string Sha,
    IReadOnlyList<string> Parents,
    string AuthorName,
    string AuthorEmail,
    DateTimeOffset AuthorTs,
    string CommitterName,
    string CommitterEmail,
    DateTimeOffset CommitterTs,
    string Message,
    IReadOnlyList<GitFileChange> Files,
    bool FilesComplete);

/// <summary>A file a commit changed against its first parent. Status: <c>added|modified|deleted|renamed</c>.</summary>
public sealed record GitFileChange(string Path, string Status, string? OldPath, int AddedLines, int DeletedLines);
