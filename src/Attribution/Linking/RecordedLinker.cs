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
public static class RecordedLinker
{
    /// <summary>Link type of a link recorded at the source by the tool the team ran (Entire, git-ai).</summary>
    public const string Recorded = "recorded";

    public const string CheckpointTrailer = "Entire-Checkpoint";

    /// <param name="rubric">The rubric's links of the repository's sessions.</param>
    /// <param name="recorded">What the source tools recorded for the repository.</param>
    /// <param name="checkpointCommits">Checkpoint id → commits whose trailer names it.</param>
    /// <param name="commitFiles">A commit's files (paths at the commit).</param>
    public static List<CommitSessionLink> Merge(
        string slug,
        IReadOnlyList<CommitSessionLink> rubric,
        IReadOnlyList<RecordedSession> recorded,
        IReadOnlyDictionary<string, List<string>> checkpointCommits,
        Func<string, IReadOnlyCollection<string>?> commitFiles)
    {
        var result = rubric.ToDictionary(l => (l.CommitSha, l.SessionId));
        foreach (var r in recorded)
        {
            IEnumerable<string> shas = r.Source == RecordedStore.Entire
                ? checkpointCommits.TryGetValue(r.RecordKey, out var list) ? list : []
                : [r.RecordKey];
            foreach (var sha in shas)
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

    /// <summary>Checkpoint id → commits, from stored trailers (<c>[[key, value], ...]</c>); ids as Entire writes them (12 hex).</summary>
    public static Dictionary<string, List<string>> CheckpointCommits(IEnumerable<(string Sha, string TrailersJson)> commits)
    {
        var map = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (sha, json) in commits)
        {
            string[][]? trailers;
            try
            {
                trailers = JsonSerializer.Deserialize<string[][]>(json);
            }
            catch (JsonException)
            {
                continue;
            }

            foreach (var t in trailers ?? [])
            {
                if (t.Length == 2 && string.Equals(t[0], CheckpointTrailer, StringComparison.OrdinalIgnoreCase) && t[1].Trim() is { Length: > 0 } id)
                {
                    (map.TryGetValue(id, out var list) ? list : map[id] = []).Add(sha);
                }
            }
        }

        return map;
    }
}
