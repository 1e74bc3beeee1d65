using LibGit2Sharp;

namespace Attribution.Git;

/// <summary>The tips of the refs where source tools keep what they recorded; null when the clone has none.</summary>
public sealed record RecordedRefs(string? CheckpointRef, string? CheckpointTip, string? NotesTip)
{
    public bool Any => CheckpointTip is not null || NotesTip is not null;
}

/// <summary>
/// One session folder of an Entire checkpoint: its metadata and its transcript's parts (blob ids and sizes; read with
/// <see cref="TranscriptBlobs"/>), each null when unreadable.
/// </summary>
public sealed record CheckpointSlot(string Slot, byte[]? Metadata, string? MetadataProblem, IReadOnlyList<TranscriptPart>? TranscriptParts, string? TranscriptProblem)
{
    public long TranscriptSize => TranscriptParts?.Sum(p => p.Size) ?? 0;
}

/// <summary>One part of a checkpoint's transcript: its file name, blob and size in bytes.</summary>
public sealed record TranscriptPart(string Name, string BlobSha, long Size);

/// <summary>One Entire checkpoint as stored on the checkpoint branch.</summary>
public sealed record CheckpointRecord(string Id, string TreeSha, byte[]? Metadata, string? MetadataProblem, IReadOnlyList<CheckpointSlot> Slots);

/// <summary>One git-ai note: the commit it annotates and its text (null when its blob is missing).</summary>
public sealed record NoteRecord(string CommitSha, string NoteSha, string? Text);

/// <summary>
/// Reads Entire's checkpoint branch and git-ai's <c>refs/notes/ai</c> from a clone with LibGit2Sharp. Missing objects
/// (partial clones, snapshots without their largest blobs) make the part that needs them null with the reason, never an error.
/// </summary>
public static class RecordedRefsReader
{
    public const string NotesRef = "refs/notes/ai";
    private static readonly string[] CheckpointRefs = ["refs/heads/entire/checkpoints/v1", "refs/remotes/origin/entire/checkpoints/v1"];

    /// <summary>Looks the refs up by name (no walk): what the scan costs when a clone has neither.</summary>
    public static RecordedRefs Find(string path)
    {
        using var repo = new Repository(path);
        string? checkpointRef = null, checkpointTip = null;
        foreach (var name in CheckpointRefs)
        {
            if (Tip(repo, name) is { } tip)
            {
                (checkpointRef, checkpointTip) = (name, tip);
                break;
            }
        }

        if (checkpointRef is null)
        {
            foreach (var reference in repo.Refs.FromGlob("refs/entire/checkpoints/*"))
            {
                if (Tip(repo, reference.CanonicalName) is { } tip)
                {
                    (checkpointRef, checkpointTip) = (reference.CanonicalName, tip);
                    break;
                }
            }
        }

        return new RecordedRefs(checkpointRef, checkpointTip, Tip(repo, NotesRef));
    }

    private static string? Tip(Repository repo, string name)
    {
        try
        {
            return repo.Refs[name]?.ResolveToDirectReference()?.Target?.Sha;
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }

    /// <summary>
    /// The checkpoints on the branch whose folder's tree is not <paramref name="known"/>'s (checkpoint id → tree sha):
    /// each <c>&lt;id[:2]&gt;/&lt;id[2:]&gt;/metadata.json</c> and its numbered session folders.
    /// </summary>
    public static IEnumerable<CheckpointRecord> Checkpoints(string path, string tip, IReadOnlyDictionary<string, string> known)
    {
        using var repo = new Repository(path);
        var commit = repo.Lookup<Commit>(tip);
        if (commit is null)
        {
            yield break;
        }

        foreach (var outer in commit.Tree.Where(e => e.TargetType == TreeEntryTargetType.Tree && IsHex(e.Name, 2)).OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            foreach (var inner in ((Tree)outer.Target).Where(e => e.TargetType == TreeEntryTargetType.Tree && IsHex(e.Name, 10)).OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                var id = outer.Name + inner.Name;
                if (known.TryGetValue(id, out var seen) && seen == inner.Target.Sha)
                {
                    continue;
                }

                yield return ReadCheckpoint(repo, id, (Tree)inner.Target);
            }
        }
    }

    private static CheckpointRecord ReadCheckpoint(Repository repo, string id, Tree folder)
    {
        var (metadata, problem) = ReadBlob(folder["metadata.json"]);
        var slots = new List<CheckpointSlot>();
        foreach (var entry in folder.Where(e => e.TargetType == TreeEntryTargetType.Tree && e.Name.All(char.IsAsciiDigit)).OrderBy(e => int.Parse(e.Name, System.Globalization.CultureInfo.InvariantCulture)))
        {
            var tree = (Tree)entry.Target;
            var (meta, metaProblem) = ReadBlob(tree["metadata.json"]);
            // Entire splits a transcript over 50 MB into full.jsonl, full.jsonl.001, .002 ... at line boundaries.
            // Only the parts' headers are read here: a session's transcript is stored again, grown, at each checkpoint,
            // and the reader wants one of them.
            var entries = tree.Where(e => e.TargetType == TreeEntryTargetType.Blob && (e.Name == "full.jsonl" || IsPart(e.Name)))
                .OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
            List<TranscriptPart>? parts = entries.Count == 0 ? null : [];
            string? transcriptProblem = entries.Count == 0 ? "no full.jsonl" : null;
            foreach (var part in entries)
            {
                try
                {
                    parts!.Add(new TranscriptPart(part.Name, part.Target.Sha, repo.ObjectDatabase.RetrieveObjectMetadata(part.Target.Id).Size));
                }
                catch (LibGit2SharpException ex)
                {
                    (parts, transcriptProblem) = (null, $"{part.Name}: {Missing(part.Target.Sha, ex)}");
                    break;
                }
            }

            slots.Add(new CheckpointSlot(entry.Name, meta, metaProblem, parts, transcriptProblem));
        }

        return new CheckpointRecord(id, folder.Sha, metadata, problem, slots);
    }

    private static string Missing(string sha, LibGit2SharpException ex) => $"blob {sha} missing from the clone ({ex.GetType().Name})";

    private static bool IsPart(string name) =>
        name.Length == "full.jsonl.001".Length && name.StartsWith("full.jsonl.", StringComparison.Ordinal) && name[^3..].All(char.IsAsciiDigit);

    private static (byte[]? Data, string? Problem) ReadBlob(TreeEntry? entry)
    {
        if (entry is null || entry.TargetType != TreeEntryTargetType.Blob)
        {
            return (null, "absent");
        }

        return ReadBlob(() => (Blob)entry.Target, entry.Target.Sha);
    }

    /// <summary>A blob's bytes, or null with the reason when the clone lacks it.</summary>
    internal static (byte[]? Data, string? Problem) ReadBlob(Func<Blob?> find, string sha)
    {
        try
        {
            using var stream = (find() ?? throw new NotFoundException($"no blob {sha}")).GetContentStream();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return (copy.ToArray(), null);
        }
        catch (LibGit2SharpException ex)
        {
            return (null, Missing(sha, ex));
        }
    }

    /// <summary>Every note of <c>refs/notes/ai</c> whose note blob is not <paramref name="known"/>'s for that commit.</summary>
    public static IEnumerable<NoteRecord> Notes(string path, IReadOnlyDictionary<string, string> known)
    {
        using var repo = new Repository(path);
        var tip = repo.Refs[NotesRef]?.ResolveToDirectReference()?.Target as Commit;
        if (tip is null)
        {
            yield break;
        }

        // The notes tree maps a commit's sha to its note blob, flat or fanned out into folders (ab/cdef...).
        var stack = new Stack<(Tree Tree, string Prefix)>();
        stack.Push((tip.Tree, ""));
        while (stack.Count > 0)
        {
            var (tree, prefix) = stack.Pop();
            foreach (var entry in tree)
            {
                var name = prefix + entry.Name;
                if (entry.TargetType == TreeEntryTargetType.Tree)
                {
                    stack.Push(((Tree)entry.Target, name));
                }
                else if (entry.TargetType == TreeEntryTargetType.Blob && name.Length == 40 && IsHex(name, 40))
                {
                    if (known.TryGetValue(name, out var seen) && seen == entry.Target.Sha)
                    {
                        continue;
                    }

                    var (data, _) = ReadBlob(entry);
                    yield return new NoteRecord(name, entry.Target.Sha, data is null ? null : System.Text.Encoding.UTF8.GetString(data));
                }
            }
        }
    }

    private static bool IsHex(string s, int length) => s.Length == length && s.All(char.IsAsciiHexDigitLower);
}

/// <summary>
/// Reads checkpoint transcripts' blobs from a clone: through <c>git cat-file --batch</c> (<see cref="GitBlobReader"/>)
/// when git can be run, with one LibGit2Sharp handle otherwise (or once git has stopped).
/// </summary>
public sealed class TranscriptBlobs(string path) : IDisposable
{
    private readonly Repository _repo = new(path);
    private GitBlobReader? _git = GitBlobReader.Open(path);

    /// <summary>The parts' bytes in order, or null with the reason when one cannot be read.</summary>
    public (IReadOnlyList<byte[]>? Parts, string? Problem) Read(IReadOnlyList<TranscriptPart> parts)
    {
        var read = new List<byte[]>(parts.Count);
        foreach (var part in parts)
        {
            var (data, problem) = ReadWithGit(part.BlobSha) is { } bytes
                ? (bytes, null)
                : RecordedRefsReader.ReadBlob(() => _repo.Lookup<Blob>(part.BlobSha), part.BlobSha);
            if (data is null)
            {
                return (null, $"{part.Name}: {problem}");
            }

            read.Add(data);
        }

        return (read, null);
    }

    // Null when git lacks the blob (libgit2 then says why, in the words of every other missing-object warning) or cannot answer.
    private byte[]? ReadWithGit(string sha)
    {
        if (_git is null)
        {
            return null;
        }

        try
        {
            return _git.Read(sha);
        }
        catch (IOException)
        {
            _git.Dispose();
            _git = null;
            return null;
        }
    }

    public void Dispose()
    {
        _git?.Dispose();
        _repo.Dispose();
    }
}
