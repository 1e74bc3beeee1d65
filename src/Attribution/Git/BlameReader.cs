using LibGit2Sharp;

namespace Attribution.Git;

/// <summary>Where a line came from: the commit that introduced it, and the path and line it had there (1-based).</summary>
public sealed record BlameLine(string OriginSha, string OriginPath, int OriginLine, int Line);

/// <summary>
/// Blame over a registered clone (bare or not): which commit introduced a line, what the tree holds at a
/// commit, and where the lines a commit removed came from. Read-only; opens the repository per call.
/// A clone that cannot be read (missing, corrupt, shallow without the object) answers "unknown" (null or
/// empty), never an exception: callers then judge without blame.
/// </summary>
public sealed class BlameReader
{
    /// <summary>The full sha of <paramref name="commitish"/> (sha, abbreviation, ref), or of the default branch head when null.</summary>
    public string? ResolveCommit(string clonePath, string? commitish, string? defaultBranch)
    {
        try
        {
            using var repo = new Repository(clonePath);
            return Resolve(repo, commitish, defaultBranch)?.Sha;
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }

    /// <summary>Every file path (blobs, recursively) of the tree at <paramref name="commitSha"/>.</summary>
    public IReadOnlyList<string> ListFiles(string clonePath, string commitSha, CancellationToken cancellationToken)
    {
        try
        {
            using var repo = new Repository(clonePath);
            var commit = repo.Lookup<Commit>(commitSha);
            if (commit is null)
            {
                return [];
            }

            var paths = new List<string>();
            var pending = new Stack<Tree>();
            pending.Push(commit.Tree);
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var entry in pending.Pop())
                {
                    if (entry.TargetType == TreeEntryTargetType.Tree)
                    {
                        pending.Push((Tree)entry.Target);
                    }
                    else if (entry.TargetType == TreeEntryTargetType.Blob)
                    {
                        paths.Add(entry.Path.Replace('\\', '/'));
                    }
                }
            }

            return paths;
        }
        catch (LibGit2SharpException)
        {
            return [];
        }
    }

    /// <summary>The origin of line <paramref name="line"/> (1-based) of <paramref name="path"/> as of <paramref name="commitSha"/>; null when the file or line is not there.</summary>
    public BlameLine? Blame(string clonePath, string commitSha, string path, int line)
    {
        try
        {
            using var repo = new Repository(clonePath);
            var commit = repo.Lookup<Commit>(commitSha);
            if (commit?[path] is not { TargetType: TreeEntryTargetType.Blob } entry || line < 1 || line > LineCount((Blob)entry.Target))
            {
                return null; // libgit2 clamps a line range past the end instead of refusing it.
            }

            var hunks = repo.Blame(path, new BlameOptions { StartingAt = commit, MinLine = line, MaxLine = line });
            var hunk = hunks.FirstOrDefault(h => h.ContainsLine(line - 1));
            return hunk is null ? null : ToLine(hunk, line);
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }

    /// <summary>
    /// For the lines <paramref name="commitSha"/> removed or rewrote in <paramref name="path"/>, where each came
    /// from (blame at its first parent). Empty when the commit only added lines, is a root commit, or is missing.
    /// </summary>
    public IReadOnlyList<BlameLine> RemovedLineOrigins(string clonePath, string commitSha, string path)
    {
        try
        {
            using var repo = new Repository(clonePath);
            var commit = repo.Lookup<Commit>(commitSha);
            var parent = commit?.Parents.FirstOrDefault();
            if (commit is null || parent?[path] is not { TargetType: TreeEntryTargetType.Blob })
            {
                return [];
            }

            var patch = repo.Diff.Compare<Patch>(parent.Tree, commit.Tree, [path]);
            var changes = patch[path];
            if (changes is null || changes.DeletedLines.Count == 0)
            {
                return [];
            }

            var hunks = repo.Blame(path, new BlameOptions { StartingAt = parent }).ToList();
            var result = new List<BlameLine>();
            foreach (var deleted in changes.DeletedLines)
            {
                var hunk = hunks.FirstOrDefault(h => h.ContainsLine(deleted.LineNumber - 1));
                if (hunk is not null)
                {
                    result.Add(ToLine(hunk, deleted.LineNumber));
                }
            }

            return result;
        }
        catch (LibGit2SharpException)
        {
            return [];
        }
    }

    private static int LineCount(Blob blob)
    {
        using var stream = blob.GetContentStream();
        var count = 0;
        var last = -1;
        int b;
        while ((b = stream.ReadByte()) >= 0)
        {
            if (b == '\n')
            {
                count++;
            }

            last = b;
        }

        return last is -1 or '\n' ? count : count + 1;
    }

    private static BlameLine ToLine(BlameHunk hunk, int line) =>
        new(hunk.InitialCommit.Sha, hunk.InitialPath.Replace('\\', '/'), hunk.InitialStartLineNumber + (line - 1 - hunk.FinalStartLineNumber) + 1, line);

    private static Commit? Resolve(Repository repo, string? commitish, string? defaultBranch)
    {
        if (!string.IsNullOrWhiteSpace(commitish))
        {
            try
            {
                return repo.Lookup<Commit>(commitish.Trim());
            }
            catch (AmbiguousSpecificationException)
            {
                return null;
            }
        }

        if (!string.IsNullOrWhiteSpace(defaultBranch))
        {
            var branch = repo.Branches[defaultBranch] ?? repo.Branches["origin/" + defaultBranch];
            if (branch?.Tip is not null)
            {
                return branch.Tip;
            }
        }

        return repo.Head?.Tip;
    }
}
