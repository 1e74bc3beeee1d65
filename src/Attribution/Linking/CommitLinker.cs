using System.Text.Json;
using Attribution.Store;

namespace Attribution.Linking;

/// <summary>
/// Scores every (commit, session) pair of one repository from plain values: authored (commit output, session
/// trailers, verified signed trailers), co-authored (agent marker while the session was active) and
/// inferred-by-touch (file overlap, recency, first touch, session text in the diff, competition). Pure apart
/// from <c>addedLines</c>, which reads a candidate commit's added lines on demand.
/// </summary>
public sealed class CommitLinker(LinkingOptions options)
{
    public const string Authored = "authored";
    public const string CoAuthored = "co-authored";
    public const string InferredByTouch = "inferred-by-touch";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    private sealed record Edit(string SessionId, string Path, DateTimeOffset Ts, string? Text);

    private sealed class Candidate
    {
        public required string SessionId { get; init; }
        public Dictionary<string, object?>? AuthoredEvidence { get; set; }
        public double? CoAuthored { get; set; }
        public Dictionary<string, object?>? CoAuthoredEvidence { get; set; }
        public TouchEvidence? Touch { get; set; }
        public double TouchRaw { get; set; }
        public Dictionary<string, object?>? TouchDetails { get; set; }
    }

    public IReadOnlyList<CommitSessionLink> Link(
        string repoSlug,
        IReadOnlyList<LinkSession> sessions,
        IReadOnlyList<LinkSessionEvent> events,
        IReadOnlyList<LinkCommit> commits,
        IReadOnlyList<LinkCommitFile> files,
        IReadOnlyList<AuthoredHit> authored,
        Func<string, IReadOnlyDictionary<string, IReadOnlyList<string>>?> addedLines,
        Func<string, SignedTrailerVerdict?> verifyTrailer,
        IReadOnlySet<string>? signedOnly = null)
    {
        var sessionById = sessions.ToDictionary(s => s.SessionId, StringComparer.Ordinal);
        var eventsBySession = events.Where(e => sessionById.ContainsKey(e.SessionId)).GroupBy(e => e.SessionId)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var filesByCommit = files.GroupBy(f => f.Sha).ToDictionary(g => g.Key, g => g.Select(f => f.Path).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var commitsBySha = commits.ToDictionary(c => c.Sha, StringComparer.Ordinal);
        var pairs = new Dictionary<(string Sha, string Session), Candidate>();

        Candidate Pair(string sha, string session)
        {
            if (!pairs.TryGetValue((sha, session), out var c))
            {
                pairs[(sha, session)] = c = new Candidate { SessionId = session };
            }

            return c;
        }

        // 1. Authored: commit output naming exactly one commit.
        foreach (var hit in authored.Where(h => sessionById.ContainsKey(h.SessionId)))
        {
            Pair(hit.Sha, hit.SessionId).AuthoredEvidence = new()
            {
                ["method"] = "commit-output",
                ["shortSha"] = hit.ShortSha,
                ["command"] = Clip(hit.Command),
                ["output"] = Clip(hit.Output),
                ["eventTs"] = hit.Ts,
            };
        }

        // 1b. Authored: session trailers and verified signed trailers.
        foreach (var commit in commits)
        {
            foreach (var (key, value) in ParseTrailers(commit.TrailersJson))
            {
                if (key.Equals(SessionTrailers.AgentsAttribution, StringComparison.OrdinalIgnoreCase))
                {
                    // Sessions of other repositories take part here only: a verified trailer names them, nothing else does.
                    if (verifyTrailer(value) is { } verified && (sessionById.ContainsKey(verified.SessionId) || signedOnly?.Contains(verified.SessionId) == true))
                    {
                        Pair(commit.Sha, verified.SessionId).AuthoredEvidence = new()
                        {
                            ["method"] = "signed-trailer",
                            ["trailer"] = $"{key}: {Clip(value)}",
                            ["verification"] = verified.Verification,
                        };
                    }

                    continue;
                }

                foreach (var id in SessionTrailers.Candidates(key, value))
                {
                    if (sessionById.ContainsKey(id))
                    {
                        Pair(commit.Sha, id).AuthoredEvidence = new() { ["method"] = "session-trailer", ["trailer"] = $"{key}: {value}" };
                        break;
                    }
                }
            }
        }

        // Session edits, indexed by repository path; rooted paths are matched by suffix.
        var editsByPath = new Dictionary<string, List<Edit>>(StringComparer.Ordinal);
        var rootedEdits = new List<Edit>();
        foreach (var e in events)
        {
            if (!SessionEventKinds.IsEdit(e.Kind) || string.IsNullOrWhiteSpace(e.Path) || !sessionById.ContainsKey(e.SessionId))
            {
                continue;
            }

            var edit = new Edit(e.SessionId, PathNormalizer.Normalize(e.Path), e.Ts, e.AddedText);
            if (edit.Path.StartsWith('/') || (edit.Path.Length > 2 && edit.Path[1] == ':'))
            {
                rootedEdits.Add(edit);
            }
            else
            {
                (editsByPath.TryGetValue(edit.Path, out var list) ? list : editsByPath[edit.Path] = []).Add(edit);
            }
        }

        // Per-file timeline of non-merge commits, for "first touch" and "intervening commits".
        var timeline = new Dictionary<string, List<(DateTimeOffset Ts, string Sha)>>(StringComparer.Ordinal);
        foreach (var commit in commits.Where(c => !IsMerge(c)))
        {
            foreach (var path in filesByCommit.GetValueOrDefault(commit.Sha) ?? [])
            {
                (timeline.TryGetValue(path, out var list) ? list : timeline[path] = []).Add((commit.CommitterTs, commit.Sha));
            }
        }

        foreach (var list in timeline.Values)
        {
            list.Sort((a, b) => a.Ts.CompareTo(b.Ts));
        }

        var window = TimeSpan.FromHours(options.TouchWindowHours);
        var textWindow = TimeSpan.FromDays(Math.Max(options.TextWindowDays, options.TouchWindowHours / 24));
        var grace = TimeSpan.FromMinutes(options.ActiveGraceMinutes);
        var activity = sessions.ToDictionary(s => s.SessionId, s => ActiveWindow(s, eventsBySession.GetValueOrDefault(s.SessionId), grace), StringComparer.Ordinal);

        foreach (var commit in commits)
        {
            var commitFiles = filesByCommit.GetValueOrDefault(commit.Sha) ?? [];

            // 3. Inferred by touch (non-merge commits only: a merge carries others' work).
            var touchCandidates = new List<Candidate>();
            var editedBy = new HashSet<string>(StringComparer.Ordinal);
            if (!IsMerge(commit) && commitFiles.Count > 0)
            {
                var bySession = new Dictionary<string, List<(string CommitPath, Edit Edit)>>(StringComparer.Ordinal);
                foreach (var path in commitFiles)
                {
                    foreach (var edit in EditsFor(path))
                    {
                        if (edit.Ts > commit.CommitterTs + ClockSkew || commit.CommitterTs - edit.Ts > textWindow)
                        {
                            continue;
                        }

                        (bySession.TryGetValue(edit.SessionId, out var l) ? l : bySession[edit.SessionId] = []).Add((path, edit));
                    }
                }

                IReadOnlyDictionary<string, IReadOnlyList<string>>? diff = null;
                var diffRead = false;
                var addedSets = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
                foreach (var (sessionId, edits) in bySession)
                {
                    editedBy.Add(sessionId);
                    var shared = edits.Select(e => e.CommitPath).Distinct(StringComparer.Ordinal).ToList();
                    var lastEdit = edits.Max(e => e.Edit.Ts);
                    var delay = commit.CommitterTs > lastEdit ? commit.CommitterTs - lastEdit : TimeSpan.Zero;
                    var texts = edits.Select(e => e.Edit.Text).Where(t => !string.IsNullOrEmpty(t)).ToList();

                    // Beyond the touch window only text evidence can qualify a pair: skip the rest early.
                    if (delay > window && texts.Count == 0)
                    {
                        continue;
                    }

                    var intervening = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var path in shared)
                    {
                        var fileLast = edits.Where(e => e.CommitPath == path).Max(e => e.Edit.Ts);
                        if (timeline.TryGetValue(path, out var touches))
                        {
                            for (var i = FirstAfter(touches, fileLast); i < touches.Count && touches[i].Ts < commit.CommitterTs; i++)
                            {
                                if (touches[i].Sha != commit.Sha)
                                {
                                    intervening.Add(touches[i].Sha);
                                }
                            }
                        }
                    }

                    if (delay > window && intervening.Count > 0)
                    {
                        continue;
                    }

                    double? ratio = null;
                    var hits = 0;
                    if (texts.Count > 0)
                    {
                        if (!diffRead)
                        {
                            diff = addedLines(commit.Sha);
                            diffRead = true;
                        }

                        if (diff is not null)
                        {
                            var key = string.Join('\n', shared);
                            if (!addedSets.TryGetValue(key, out var set))
                            {
                                addedSets[key] = set = TextMatcher.AddedSet(shared.SelectMany(p => diff.GetValueOrDefault(p) ?? []));
                            }

                            (ratio, hits) = TextMatcher.Match(texts, set);
                        }
                    }

                    var evidence = new TouchEvidence(delay, intervening.Count, ratio, shared.Count, commitFiles.Count, hits);
                    if (delay > window && !TouchScorer.QualifiesBeyondWindow(evidence))
                    {
                        continue;
                    }

                    var candidate = Pair(commit.Sha, sessionId);
                    candidate.Touch = evidence;
                    candidate.TouchRaw = TouchScorer.Raw(evidence);
                    candidate.TouchDetails = new()
                    {
                        ["files"] = shared,
                        ["lastEditTs"] = lastEdit,
                        ["gapMinutes"] = Math.Round(delay.TotalMinutes, 1),
                        ["firstTouch"] = evidence.FirstTouch,
                        ["interveningCommits"] = intervening.Order(StringComparer.Ordinal).Take(10).ToList(),
                        ["textRatio"] = ratio is null ? null : Math.Round(ratio.Value, 3),
                        ["textLinesFound"] = hits,
                        ["share"] = Math.Round(evidence.Share, 3),
                        ["raw"] = candidate.TouchRaw,
                    };
                    touchCandidates.Add(candidate);
                }
            }

            // 2. Co-authored: the commit names an agent; sessions of that agent active on the repo then.
            if (!string.IsNullOrEmpty(commit.Agent))
            {
                var active = sessions.Where(s => s.Agent.Equals(commit.Agent, StringComparison.OrdinalIgnoreCase)
                    && activity[s.SessionId] is { } w && commit.CommitterTs >= w.Start && commit.CommitterTs <= w.End).ToList();
                foreach (var session in active)
                {
                    var edited = editedBy.Contains(session.SessionId);
                    var otherEdited = active.Any(o => o.SessionId != session.SessionId && editedBy.Contains(o.SessionId));
                    var score = CoAuthorScorer.Score(active.Count, edited, otherEdited);
                    if (score is null)
                    {
                        continue;
                    }

                    var candidate = Pair(commit.Sha, session.SessionId);
                    candidate.CoAuthored = score;
                    candidate.CoAuthoredEvidence = new()
                    {
                        ["agent"] = commit.Agent,
                        ["model"] = commit.AgentModel,
                        ["activeFrom"] = activity[session.SessionId]!.Value.Start,
                        ["activeUntil"] = activity[session.SessionId]!.Value.End,
                        ["competingSessions"] = active.Where(o => o.SessionId != session.SessionId).Select(o => o.SessionId).ToList(),
                        ["editedCommitFiles"] = edited,
                    };
                }
            }

            // Competition among touch candidates of this commit.
            foreach (var candidate in touchCandidates)
            {
                var others = touchCandidates.Where(o => o != candidate).ToList();
                var final = TouchScorer.Compete(candidate.TouchRaw, others.Select(o => o.TouchRaw));
                candidate.TouchDetails!["competingSessions"] = others.Select(o => new { sessionId = o.SessionId, raw = o.TouchRaw }).ToList();
                candidate.TouchDetails["confidence"] = final;
                candidate.TouchDetails["final"] = final;
            }
        }

        var links = new List<CommitSessionLink>();
        foreach (var ((sha, sessionId), c) in pairs)
        {
            commitsBySha.TryGetValue(sha, out var commit);
            var touchFinal = c.TouchDetails is null ? (double?)null : (double)c.TouchDetails["final"]!;
            string type;
            double confidence;
            if (c.AuthoredEvidence is not null)
            {
                (type, confidence) = (Authored, 1.0);
            }
            else if (c.CoAuthored is not null && (touchFinal is null || c.CoAuthored >= touchFinal))
            {
                (type, confidence) = (CoAuthored, c.CoAuthored.Value);
            }
            else if (touchFinal is not null)
            {
                (type, confidence) = (InferredByTouch, touchFinal.Value);
            }
            else
            {
                continue;
            }

            var evidence = new Dictionary<string, object?>
            {
                ["method"] = type == Authored ? c.AuthoredEvidence!["method"] : type,
                ["commitTs"] = commit?.CommitterTs,
            };
            if (c.AuthoredEvidence is not null)
            {
                evidence["authored"] = c.AuthoredEvidence;
            }

            if (c.CoAuthoredEvidence is not null)
            {
                evidence["coAuthored"] = c.CoAuthoredEvidence;
                evidence["coAuthoredConfidence"] = c.CoAuthored;
            }

            if (c.TouchDetails is not null)
            {
                evidence["touch"] = c.TouchDetails;
            }

            links.Add(new CommitSessionLink(sha, repoSlug, sessionId, type, Math.Round(confidence, 3), JsonSerializer.Serialize(evidence, Json)));
        }

        return links.OrderBy(l => l.CommitSha, StringComparer.Ordinal).ThenBy(l => l.SessionId, StringComparer.Ordinal).ToList();

        IEnumerable<Edit> EditsFor(string commitPath)
        {
            if (editsByPath.TryGetValue(commitPath, out var exact))
            {
                foreach (var e in exact)
                {
                    yield return e;
                }
            }

            foreach (var e in rootedEdits)
            {
                if (PathNormalizer.Matches(e.Path, commitPath))
                {
                    yield return e;
                }
            }
        }
    }

    /// <summary>From the session's start (or first event) to <paramref name="grace"/> after its last event (or end).</summary>
    public static (DateTimeOffset Start, DateTimeOffset End)? ActiveWindow(LinkSession session, IReadOnlyList<LinkSessionEvent>? events, TimeSpan grace)
    {
        var first = events is { Count: > 0 } ? events.Min(e => e.Ts) : (DateTimeOffset?)null;
        var last = events is { Count: > 0 } ? events.Max(e => e.Ts) : (DateTimeOffset?)null;
        var start = Min(session.StartedTs, first);
        var end = Max(session.EndedTs, last);
        if (start is null || end is null)
        {
            return null;
        }

        return (start.Value, end.Value + grace);
    }

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static int FirstAfter(List<(DateTimeOffset Ts, string Sha)> list, DateTimeOffset from)
    {
        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (list[mid].Ts <= from)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static bool IsMerge(LinkCommit commit) => commit.Parents.Count(ch => ch == ',') >= 1;

    private static string? Clip(string? text) => text is null ? null : text.Length <= 300 ? text : text[..300];

    /// <summary>Trailers as stored by <c>CommitStore</c>: a JSON array of [key, value] pairs.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseTrailers(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            var pairs = JsonSerializer.Deserialize<string[][]>(json) ?? [];
            return pairs.Where(p => p.Length == 2).Select(p => new KeyValuePair<string, string>(p[0], p[1])).ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
