using LibGit2Sharp;

namespace Attribution.Git;

/// <summary>The tips of the refs where source tools keep what they recorded; null when the clone has none.</summary>
public sealed record RecordedRefs(string? CheckpointRef, string? CheckpointTip, string? NotesTip)
{
    public bool Any => CheckpointTip is not null || NotesTip is not null;
}

/// <summary>One session folder of an Entire checkpoint: its metadata and its transcript's parts, each null when unreadable.</summary>
public sealed record CheckpointSlot(string Slot, byte[]? Metadata, string? MetadataProblem, IReadOnlyList<byte[]>? TranscriptParts, string? TranscriptProblem);

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

                yield return ReadCheckpoint(id, (Tree)inner.Target);
            }
        }
    }

    private static CheckpointRecord ReadCheckpoint(string id, Tree folder)
    {
        var (metadata, problem) = ReadBlob(folder["metadata.json"]);
        var slots = new List<CheckpointSlot>();
        foreach (var entry in folder.Where(e => e.TargetType == TreeEntryTargetType.Tree && e.Name.All(char.IsAsciiDigit)).OrderBy(e => int.Parse(e.Name, System.Globalization.CultureInfo.InvariantCulture)))
        {
            var tree = (Tree)entry.Target;
            var (meta, metaProblem) = ReadBlob(tree["metadata.json"]);
            // Entire splits a transcript over 50 MB into full.jsonl, full.jsonl.001, .002 ... at line boundaries.
            var parts = tree.Where(e => e.TargetType == TreeEntryTargetType.Blob && (e.Name == "full.jsonl" || IsPart(e.Name)))
                .OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
            List<byte[]>? bytes = parts.Count == 0 ? null : [];
            string? transcriptProblem = parts.Count == 0 ? "no full.jsonl" : null;
            foreach (var part in parts)
            {
                var (data, partProblem) = ReadBlob(part);
                if (data is null)
                {
                    (bytes, transcriptProblem) = (null, $"{part.Name}: {partProblem}");
                    break;
                }

                bytes!.Add(data);
            }

            slots.Add(new CheckpointSlot(entry.Name, meta, metaProblem, bytes, transcriptProblem));
        }

        return new CheckpointRecord(id, folder.Sha, metadata, problem, slots);
    }

    private static bool IsPart(string name) =>
        name.Length == "full.jsonl.001".Length && name.StartsWith("full.jsonl.", StringComparison.Ordinal) && name[^3..].All(char.IsAsciiDigit);

    private static (byte[]? Data, string? Problem) ReadBlob(TreeEntry? entry)
    {
        if (entry is null || entry.TargetType != TreeEntryTargetType.Blob)
        {
            return (null, "absent");
        }

        try
        {
            using var stream = ((Blob)entry.Target).GetContentStream();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return (copy.ToArray(), null);
        }
        catch (LibGit2SharpException ex)
        {
            return (null, $"blob {entry.Target.Sha} missing from the clone ({ex.GetType().Name})");
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
