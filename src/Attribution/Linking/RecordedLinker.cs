using System.Text.Json;
using Attribution.Store;

namespace Attribution.Linking;

/// <summary>
/// Links recorded at the source (docs/sources.md): a session an Entire checkpoint lists, for each commit whose
/// <c>Entire-Checkpoint:</c> trailer names that checkpoint, and a session a commit's git-ai note names. Such a link is
/// of type <see cref="Recorded"/> with confidence 1.0 when the tool's files meet the commit's files (an Entire session
/// whose files touched list is empty counts as meeting: the checkpoint is the only statement there is); a listed
/// session whose files miss the commit's is left to the rubric's own judgment. The rubric's links are the input: a
/// recorded link replaces the rubric's link of the same pair and keeps what the rubric said in its evidence.
/// </summary>
public static partial class RecordedLinker
{
    /// <summary>Link type of a link recorded at the source by the tool the team ran (Entire, git-ai).</summary>
    public const string Recorded = "recorded";

    public const string CheckpointTrailer = "Entire-Checkpoint";

    /// <summary>How a commit names a checkpoint: its own trailer, or a line quoting a trailer of commits it squashed.</summary>
    public sealed record CheckpointCommit(string Sha, string Via);

    /// <param name="rubric">The rubric's links of the repository's sessions.</param>
    /// <param name="recorded">What the source tools recorded for the repository.</param>
    /// <param name="checkpointCommits">Checkpoint id → commits whose trailer names it.</param>
    /// <param name="commitFiles">A commit's files (paths at the commit).</param>
    public static List<CommitSessionLink> Merge(
        string slug,
        IReadOnlyList<CommitSessionLink> rubric,
        IReadOnlyList<RecordedSession> recorded,
        IReadOnlyDictionary<string, List<CheckpointCommit>> checkpointCommits,
        Func<string, IReadOnlyCollection<string>?> commitFiles)
    {
        var result = rubric.ToDictionary(l => (l.CommitSha, l.SessionId));
        foreach (var r in recorded)
        {
            IEnumerable<CheckpointCommit> targets = r.Source == RecordedStore.Entire
                ? checkpointCommits.TryGetValue(r.RecordKey, out var list) ? list : []
                : [new CheckpointCommit(r.RecordKey, "note")];
            foreach (var (sha, via) in targets)
            {
                var files = commitFiles(sha);
                if (files is null)
                {
                    continue; // the commit is not in the store (not ingested, or metadata only)
                }

                object? meeting = r.Source == RecordedStore.Entire ? EntireMeeting(r.FilesJson, files) : GitAiMeeting(r.FilesJson, files);
                if (meeting is null)
                {
                    continue;
                }

                result.TryGetValue((sha, r.SessionId), out var previous);
                var evidence = JsonSerializer.Serialize(new
                {
                    method = Recorded,
                    source = r.Source,
                    checkpoint = r.Source == RecordedStore.Entire ? r.RecordKey : null,
                    via,
                    files = meeting,
                    recorded = JsonDocument.Parse(r.EvidenceJson).RootElement,
                    rubric = previous is null ? null : new { linkType = previous.LinkType, confidence = previous.Confidence, evidence = JsonDocument.Parse(previous.EvidenceJson).RootElement },
                });
                result[(sha, r.SessionId)] = new CommitSessionLink(sha, slug, r.SessionId, Recorded, 1.0, evidence);
            }
        }

        return [.. result.Values];
    }

    /// <summary>The session's files touched that the commit changed (all of them when the list is empty); null when they miss.</summary>
    private static object? EntireMeeting(string filesJson, IReadOnlyCollection<string> commitFiles)
    {
        var touched = JsonSerializer.Deserialize<List<string>>(filesJson) ?? [];
        if (touched.Count == 0)
        {
            return Array.Empty<string>();
        }

        var set = commitFiles as ISet<string> ?? commitFiles.ToHashSet(StringComparer.Ordinal);
        var meet = touched.Where(set.Contains).ToList();
        return meet.Count == 0 ? null : meet;
    }

    /// <summary>AI-written lines per file of the commit that the note attests for this session; null when none.</summary>
    private static object? GitAiMeeting(string filesJson, IReadOnlyCollection<string> commitFiles)
    {
        var lines = JsonSerializer.Deserialize<Dictionary<string, int>>(filesJson) ?? [];
        var set = commitFiles as ISet<string> ?? commitFiles.ToHashSet(StringComparer.Ordinal);
        var meet = lines.Where(p => p.Value > 0 && set.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value);
        return meet.Count == 0 ? null : meet;
    }

    /// <summary>
    /// Checkpoint id → commits naming it: by a trailer of the commit (stored as <c>[[key, value], ...]</c> by the
    /// trailer parser), else by an <c>Entire-Checkpoint: &lt;12 hex&gt;</c> line elsewhere in its message, which is how a
    /// squash merge carries the trailers of the commits it squashed (GitHub writes their messages into its body).
    /// </summary>
    public static Dictionary<string, List<CheckpointCommit>> CheckpointCommits(IEnumerable<(string Sha, string TrailersJson, string? Message)> commits)
    {
        var map = new Dictionary<string, List<CheckpointCommit>>(StringComparer.Ordinal);
        void Add(string id, string sha, string via)
        {
            var list = map.TryGetValue(id, out var known) ? known : map[id] = [];
            if (!list.Any(c => c.Sha == sha))
            {
                list.Add(new CheckpointCommit(sha, via));
            }
        }

        foreach (var (sha, json, message) in commits)
        {
            string[][]? trailers;
            try
            {
                trailers = JsonSerializer.Deserialize<string[][]>(json);
            }
            catch (JsonException)
            {
                trailers = null;
            }

            foreach (var t in trailers ?? [])
            {
                if (t.Length == 2 && string.Equals(t[0], CheckpointTrailer, StringComparison.OrdinalIgnoreCase) && t[1].Trim() is { Length: > 0 } id)
                {
                    Add(id, sha, "trailer");
                }
            }

            foreach (System.Text.RegularExpressions.Match m in QuotedCheckpoint().Matches(message ?? ""))
            {
                Add(m.Groups[1].Value, sha, "message");
            }
        }

        return map;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^Entire-Checkpoint:[ \t]*([0-9a-f]{12})[ \t]*\r?$", System.Text.RegularExpressions.RegexOptions.Multiline | System.Text.RegularExpressions.RegexOptions.NonBacktracking)]
    private static partial System.Text.RegularExpressions.Regex QuotedCheckpoint();
}
