using System.Text.Json;
using Attribution.Store;
using Attribution.Common;
using Attribution.Sessions;

namespace Attribution.Linking;

/// <summary>One run of <see cref="CommitLinker"/> over one repository's sessions and commits (see its rules).</summary>
internal sealed class LinkPass
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Tolerance between the clocks of the machine that wrote the transcript and the one that made the commit.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    /// <summary>How long before a session's <c>git commit</c> output the rewritten commit's author time may lie.</summary>
    private static readonly TimeSpan CommitOutputLead = TimeSpan.FromMinutes(10);

    /// <summary>How long after a session's commit its squash merge may land.</summary>
    private static readonly TimeSpan SquashWindow = TimeSpan.FromDays(30);

    /// <summary>The shortest subject that ties a session to a commit it did not print (a squash's list, a command line's message).</summary>
    private const int MinMatchedSubject = 15;

    /// <summary>Intervening commits beyond this many change nothing (the penalty is capped).</summary>
    private const int InterveningCap = 3;

    private readonly LinkingOptions _options;
    private readonly LinkCalibration _calibration;
    private readonly IReadOnlyList<LinkSession> _sessions;
    private readonly IReadOnlyList<LinkCommit> _commits;
    private readonly Dictionary<string, LinkCommit> _commitsBySha;
    private readonly Dictionary<string, List<string>> _filesByCommit;
    private readonly HashSet<string> _sessionIds;
    private readonly Dictionary<string, (DateTimeOffset Start, DateTimeOffset End)?> _activity;
    private readonly Dictionary<string, List<Edit>> _editsByPath = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(DateTimeOffset Ts, string Sha)>> _timeline = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _sameChange = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _authoredBy = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Sha, string Session), bool> _series = [];
    private readonly Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>?> _diffs = new(StringComparer.Ordinal);
    private readonly Func<string, IReadOnlyDictionary<string, IReadOnlyList<string>>?> _addedLines;
    private readonly Dictionary<(string Sha, string Session), Candidate> _pairs = [];
    private readonly Dictionary<(string Sha, string Session), string> _pushed = [];
    private readonly Dictionary<string, string> _parents;
    private readonly TimeSpan _window;
    private readonly TimeSpan _textWindow;
    private ILookup<string, LinkCommit>? _bySubject;
    private readonly ILookup<string, string> _byRemoteId;

    private sealed record Edit(string SessionId, string Path, DateTimeOffset Ts, string? Text);

    private sealed class Candidate
    {
        public required string SessionId { get; init; }
        public Dictionary<string, object?>? AuthoredEvidence { get; set; }
        public double? CoAuthored { get; set; }
        public bool CoAuthoredOnActivity { get; set; }
        public Dictionary<string, object?>? CoAuthoredEvidence { get; set; }
        public double TouchRaw { get; set; }
        public double? TouchFinal { get; set; }
        public Dictionary<string, object?>? TouchDetails { get; set; }

        /// <summary>Sessions of the same task (this one's parent, sub-agents or sibling sub-agents) also edited the commit's files.</summary>
        public bool SameTask => TouchDetails?.ContainsKey("sameTask") == true;
    }

    /// <summary>
    /// How far before a commit the evidence of its links can lie (edits and text within the text window, a squash's
    /// listed subjects when <paramref name="squashes"/>, commit output and clock skew): a pair's score depends on nothing older.
    /// </summary>
    internal static TimeSpan Reach(LinkingOptions options, bool squashes = true) =>
        TimeSpan.FromDays(Math.Max(Math.Max(options.TextWindowDays, options.TouchWindowHours / 24), squashes ? SquashWindow.TotalDays : 0)) + CommitOutputLead + ClockSkew;

    /// <summary>How far before a new commit a rewritten commit output or a clock's skew can tie a pair it changes.</summary>
    internal static TimeSpan RewriteReach => CommitOutputLead + ClockSkew;

    /// <summary>Whether the commit's body lists squashed subjects (<c>* subject</c> lines), as a hosting service's squash merge does.</summary>
    internal static bool ListsSquashedSubjects(LinkCommit commit) => SquashedSubjects(commit).Any();

    /// <summary>The subjects a squash commit's body lists (<c>* subject</c> lines of 15 characters or more); none for a merge.</summary>
    private static IEnumerable<string> SquashedSubjects(LinkCommit commit) =>
        IsMerge(commit) || string.IsNullOrEmpty(commit.Message) ? []
            : commit.Message.Split('\n').Skip(1).Where(line => line.StartsWith("* ", StringComparison.Ordinal) && line.Length >= 2 + MinMatchedSubject).Select(line => line[2..].Trim());

    public LinkPass(
        LinkingOptions options,
        LinkCalibration calibration,
        IReadOnlyList<LinkSession> sessions,
        IReadOnlyList<LinkSessionEvent> events,
        IReadOnlyList<LinkCommit> commits,
        IReadOnlyList<LinkCommitFile> files,
        RepoPathIndex paths,
        Func<string, IReadOnlyDictionary<string, IReadOnlyList<string>>?> addedLines)
    {
        _options = options;
        _calibration = calibration;
        _sessions = sessions;
        _commits = commits;
        _addedLines = addedLines;
        _sessionIds = sessions.Select(s => s.SessionId).ToHashSet(StringComparer.Ordinal);
        _byRemoteId = sessions.Where(s => !string.IsNullOrWhiteSpace(s.RemoteId)).ToLookup(s => s.RemoteId!, s => s.SessionId, StringComparer.Ordinal);
        _parents = sessions.Where(s => !string.IsNullOrEmpty(s.ParentSessionId) && s.ParentSessionId != s.SessionId)
            .ToDictionary(s => s.SessionId, s => s.ParentSessionId!, StringComparer.Ordinal);
        _commitsBySha = commits.ToDictionary(c => c.Sha, StringComparer.Ordinal);
        _filesByCommit = files.GroupBy(f => f.Sha).ToDictionary(g => g.Key, g => g.Select(f => f.Path).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        _window = TimeSpan.FromHours(options.TouchWindowHours);
        _textWindow = TimeSpan.FromDays(Math.Max(options.TextWindowDays, options.TouchWindowHours / 24));

        var eventsBySession = events.Where(e => _sessionIds.Contains(e.SessionId)).GroupBy(e => e.SessionId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<LinkSessionEvent>)g.ToList(), StringComparer.Ordinal);
        var grace = TimeSpan.FromMinutes(options.ActiveGraceMinutes);
        _activity = sessions.ToDictionary(s => s.SessionId, s => CommitLinker.ActiveWindow(s, eventsBySession.GetValueOrDefault(s.SessionId), grace), StringComparer.Ordinal);

        IndexEdits(events, paths);
        IndexTimeline();
        IndexSameChanges();
        IndexPushes(events);
    }

    /// <summary>Authored: the session's own <c>git commit</c> output named exactly one commit.</summary>
    public void AddCommitOutputs(IReadOnlyList<AuthoredHit> hits)
    {
        foreach (var hit in hits.Where(h => _sessionIds.Contains(h.SessionId)))
        {
            var evidence = new Dictionary<string, object?>
            {
                ["method"] = "commit-output",
                ["shortSha"] = hit.ShortSha,
                ["command"] = Clip(hit.Command),
                ["output"] = Clip(hit.Output),
                ["eventTs"] = hit.Ts,
            };
            AddAuthored(hit.Sha, hit.SessionId, evidence);
            foreach (var copy in SameChange(hit.Sha))
            {
                AddAuthored(copy, hit.SessionId, new Dictionary<string, object?>(evidence) { ["method"] = "commit-output-rewritten", ["printedSha"] = hit.Sha });
            }
        }
    }

    /// <summary>
    /// Authored through a rewrite: the sha the session printed is gone from the clone, and exactly one change
    /// (one commit, or copies of it with the same author, author time and subject) has the printed subject
    /// and an author time just before the output.
    /// </summary>
    public void AddRewrittenCommitOutputs(IReadOnlyList<LinkSessionEvent> outputs)
    {
        if (outputs.Count == 0)
        {
            return;
        }

        foreach (var e in outputs.Where(e => _sessionIds.Contains(e.SessionId) && !string.IsNullOrWhiteSpace(e.Subject)))
        {
            var subject = e.Subject!.Trim();
            foreach (var commit in OneChange(subject, e.Ts - CommitOutputLead, e.Ts + ClockSkew))
            {
                AddAuthored(commit.Sha, e.SessionId, new Dictionary<string, object?>
                {
                    ["method"] = "commit-output-rewritten",
                    ["shortSha"] = e.Sha,
                    ["printedSubject"] = Clip(subject),
                    ["command"] = Clip(e.Command),
                    ["output"] = Clip(e.OutputExcerpt),
                    ["eventTs"] = e.Ts,
                });
            }
        }
    }

    /// <summary>
    /// The commits of the one change (a commit and its rewritten copies: same author, author time and subject) whose
    /// subject is <paramref name="subject"/> and whose author time lies in [<paramref name="from"/>, <paramref name="to"/>];
    /// none when no commit or more than one change does. Merges are never a session's change by subject.
    /// </summary>
    private IReadOnlyList<LinkCommit> OneChange(string subject, DateTimeOffset from, DateTimeOffset to)
    {
        _bySubject ??= _commits.Where(c => !IsMerge(c) && c.AuthorTs is not null && !string.IsNullOrWhiteSpace(c.Subject))
            .ToLookup(c => c.Subject!.Trim(), StringComparer.Ordinal);
        var matches = _bySubject[subject].Where(c => c.AuthorTs >= from && c.AuthorTs <= to).ToList();
        return matches.Count > 0 && matches.Select(ChangeKey).Distinct(StringComparer.Ordinal).Count() == 1 ? matches : [];
    }

    /// <summary>
    /// Authored through a squash merge: a hosting service's squash commit lists the squashed commits' subjects as
    /// <c>* subject</c> lines of its body. A subject the session's own <c>git commit</c> output printed (15
    /// characters or more), listed by exactly one squash commit written within 30 days after it, ties the
    /// session to that squash.
    /// </summary>
    public void AddSquashedCommitOutputs(IReadOnlyList<LinkSessionEvent> events)
    {
        var bySubject = new Dictionary<string, List<LinkCommit>>(StringComparer.Ordinal);
        foreach (var commit in _commits)
        {
            foreach (var subject in SquashedSubjects(commit))
            {
                (bySubject.TryGetValue(subject, out var list) ? list : bySubject[subject] = []).Add(commit);
            }
        }

        if (bySubject.Count == 0)
        {
            return;
        }

        foreach (var e in events.Where(e => e.Kind == SessionEventKinds.Commit && e.IsError == 0 && _sessionIds.Contains(e.SessionId) && e.Subject is { Length: >= MinMatchedSubject }))
        {
            var squashes = (bySubject.GetValueOrDefault(e.Subject!.Trim()) ?? [])
                .Where(c => CommitLinker.WrittenTs(c) >= e.Ts - ClockSkew && CommitLinker.WrittenTs(c) - e.Ts <= SquashWindow)
                .DistinctBy(c => c.Sha).ToList();
            if (squashes.Count == 1)
            {
                AddAuthored(squashes[0].Sha, e.SessionId, new Dictionary<string, object?>
                {
                    ["method"] = "commit-output-squashed",
                    ["shortSha"] = e.Sha,
                    ["printedSubject"] = Clip(e.Subject),
                    ["command"] = Clip(e.Command),
                    ["eventTs"] = e.Ts,
                });
            }
        }
    }

    /// <summary>
    /// Authored through the command line: the session's own <c>git commit</c> gave the message (<c>-m</c>, a heredoc),
    /// and exactly one change (one commit, or copies of it with the same author, author time and subject) has that
    /// subject, 15 characters or more, and an author time from just before the command to 10 minutes after it (hooks
    /// run first). Git writes the message it is given and the time it ran, so this needs no output: it finds the
    /// commits whose <c>[branch sha]</c> line the session never kept (<c>-q</c>, output piped through <c>tail</c>).
    /// A failed call, <c>--amend</c> and merges give nothing; evidence already found for a pair is kept.
    /// </summary>
    public void AddCommitCommands(IReadOnlyList<LinkSessionEvent> events)
    {
        foreach (var e in events)
        {
            if (e.Kind != SessionEventKinds.Shell || e.IsError != 0 || !_sessionIds.Contains(e.SessionId))
            {
                continue;
            }

            foreach (var subject in GitOutputParser.CommitCommandSubjects(e.Command))
            {
                if (subject.Length < MinMatchedSubject)
                {
                    continue;
                }

                foreach (var commit in OneChange(subject, e.Ts - ClockSkew, e.Ts + CommitOutputLead))
                {
                    AddAuthored(commit.Sha, e.SessionId, new Dictionary<string, object?>
                    {
                        ["method"] = CommitCommandRule,
                        ["subject"] = Clip(subject),
                        ["command"] = Clip(e.Command),
                        ["eventTs"] = e.Ts,
                    });
                }
            }
        }
    }

    /// <summary>
    /// Authored: session trailers and verified signed trailers. <paramref name="signedOnly"/>: sessions of other
    /// repositories, which a verified signed trailer may name (and nothing else may link).
    /// </summary>
    public void AddTrailers(Func<string, SignedTrailerVerdict?> verifyTrailer, IReadOnlySet<string> signedOnly)
    {
        foreach (var commit in _commits)
        {
            foreach (var (key, value) in CommitLinker.ParseTrailers(commit.TrailersJson))
            {
                if (key.Equals(SessionTrailers.AgentsAttribution, StringComparison.OrdinalIgnoreCase))
                {
                    if (verifyTrailer(value) is { } verified && (_sessionIds.Contains(verified.SessionId) || signedOnly.Contains(verified.SessionId)))
                    {
                        AddAuthored(commit.Sha, verified.SessionId, new Dictionary<string, object?>
                        {
                            ["method"] = "signed-trailer",
                            ["trailer"] = $"{key}: {Clip(value)}",
                            ["verification"] = verified.Verification,
                        });
                    }

                    continue;
                }

                foreach (var id in SessionTrailers.Candidates(key, value))
                {
                    if (_sessionIds.Contains(id))
                    {
                        AddAuthored(commit.Sha, id, new Dictionary<string, object?> { ["method"] = "session-trailer", ["trailer"] = $"{key}: {value}" });
                        break;
                    }

                    // The id the agent's hosted side knows the session by (a Claude Code remote session's).
                    if (_byRemoteId.Contains(id))
                    {
                        foreach (var session in _byRemoteId[id])
                        {
                            AddAuthored(commit.Sha, session, new Dictionary<string, object?> { ["method"] = "session-trailer", ["trailer"] = $"{key}: {value}", ["remoteId"] = id });
                        }

                        break;
                    }
                }
            }
        }
    }

    /// <summary>Inferred by touch and co-authored, commit by commit (those <paramref name="select"/> takes, when given).</summary>
    public void ScoreCommits(Func<LinkCommit, bool>? select = null)
    {
        foreach (var commit in _commits)
        {
            if (select is not null && !select(commit))
            {
                continue;
            }

            var touched = IsMerge(commit) ? [] : ScoreTouches(commit);
            Compete(touched);
            if (!string.IsNullOrEmpty(commit.Agent))
            {
                ScoreCoAuthored(commit, touched);
            }
        }
    }

    /// <summary>
    /// Whether one of <paramref name="sessions"/> has evidence on the commit: an authored pair (its output, a trailer), an
    /// edit of one of its files within the text window before it, or, for a commit naming an agent, activity when it was
    /// written. The pairs of a commit no such session reaches do not depend on those sessions.
    /// </summary>
    public bool Reaches(IReadOnlySet<string> sessions, LinkCommit commit)
    {
        if (sessions.Any(s => _pairs.ContainsKey((commit.Sha, s))))
        {
            return true;
        }

        var written = CommitLinker.WrittenTs(commit);
        foreach (var path in _filesByCommit.GetValueOrDefault(commit.Sha) ?? [])
        {
            if ((_editsByPath.GetValueOrDefault(path) ?? []).Any(e => sessions.Contains(e.SessionId) && e.Ts <= written + ClockSkew && written - e.Ts <= _textWindow))
            {
                return true;
            }
        }

        return !string.IsNullOrEmpty(commit.Agent)
            && sessions.Any(s => _activity.GetValueOrDefault(s) is { } w && written >= w.Start - ClockSkew && written <= w.End);
    }

    /// <summary>The pass's links with their evidence, of the commits <paramref name="ofCommit"/> takes (all when null).</summary>
    public IReadOnlyList<CommitSessionLink> Links(string repoSlug, Func<string, bool>? ofCommit = null)
    {
        var links = new List<CommitSessionLink>();
        foreach (var ((sha, sessionId), c) in _pairs)
        {
            if (ofCommit is not null && !ofCommit(sha))
            {
                continue;
            }

            var commit = _commitsBySha.GetValueOrDefault(sha);
            string type;
            string rule;
            double raw;
            if (c.AuthoredEvidence is not null)
            {
                (type, rule, raw) = (CommitLinker.Authored, (string)c.AuthoredEvidence["method"]!, 1.0);
            }
            else if (c.CoAuthored is not null && (c.TouchFinal is null || c.CoAuthored >= c.TouchFinal))
            {
                (type, rule, raw) = (CommitLinker.CoAuthored, c.CoAuthoredOnActivity ? "co-author-trailer-activity-only" : "co-author-trailer-and-tie", c.CoAuthored.Value);
            }
            else if (c.TouchFinal is not null)
            {
                (type, rule, raw) = (CommitLinker.InferredByTouch, c.SameTask ? SameTaskRule : "touch", c.TouchFinal.Value);
            }
            else
            {
                continue;
            }

            var confidence = _calibration.Apply(type, raw, rule);
            if (rule == "co-author-trailer-activity-only")
            {
                confidence = Math.Min(confidence, CoAuthorScorer.ActivityOnlyCeiling);
            }

            var evidence = new Dictionary<string, object?>
            {
                ["method"] = type == CommitLinker.Authored ? c.AuthoredEvidence!["method"] : type,
                ["rule"] = rule,
                ["raw"] = Math.Round(raw, 3),
                ["commitTs"] = commit?.CommitterTs,
                ["authorTs"] = commit?.AuthorTs,
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
    }

    private List<Candidate> ScoreTouches(LinkCommit commit)
    {
        var commitFiles = _filesByCommit.GetValueOrDefault(commit.Sha) ?? [];
        var written = CommitLinker.WrittenTs(commit);
        var bySession = new Dictionary<string, List<Edit>>(StringComparer.Ordinal);
        foreach (var path in commitFiles)
        {
            foreach (var edit in _editsByPath.GetValueOrDefault(path) ?? [])
            {
                if (edit.Ts <= written + ClockSkew && written - edit.Ts <= _textWindow && !Impossible(edit.SessionId, commit))
                {
                    (bySession.TryGetValue(edit.SessionId, out var list) ? list : bySession[edit.SessionId] = []).Add(edit);
                }
            }
        }

        var candidates = new List<Candidate>();
        foreach (var (sessionId, edits) in bySession)
        {
            var lastEdit = edits.Max(e => e.Ts);
            var delay = written > lastEdit ? written - lastEdit : TimeSpan.Zero;
            var texts = edits.Select(e => e.Text).Where(t => !string.IsNullOrEmpty(t)).ToList();

            // Beyond the touch window only text evidence can qualify a pair: skip the rest early.
            if (delay > _window && texts.Count == 0)
            {
                continue;
            }

            var shared = edits.Select(e => e.Path).Distinct(StringComparer.Ordinal).ToList();
            var intervening = Intervening(commit, sessionId, edits, shared, out var seriesSkipped);
            if (delay > _window && intervening.Count > 0)
            {
                continue;
            }

            var (ratio, hits) = texts.Count == 0 ? ((double?)null, 0) : MatchText(commit.Sha, shared, texts);
            var evidence = new TouchEvidence(delay, intervening.Count, ratio, shared.Count, commitFiles.Count, hits);
            if (delay > _window && !TouchScorer.QualifiesBeyondWindow(evidence))
            {
                continue;
            }

            var candidate = Pair(commit.Sha, sessionId);
            candidate.TouchRaw = TouchScorer.Raw(evidence);
            candidate.TouchDetails = new()
            {
                ["files"] = shared,
                ["lastEditTs"] = lastEdit,
                ["gapMinutes"] = Math.Round(delay.TotalMinutes, 1),
                ["firstTouch"] = evidence.FirstTouch,
                ["interveningCommits"] = intervening,
                ["ownSeriesCommitsBetween"] = seriesSkipped,
                ["textRatio"] = ratio is null ? null : Math.Round(ratio.Value, 3),
                ["textLinesFound"] = hits,
                ["share"] = Math.Round(evidence.Share, 3),
                ["raw"] = candidate.TouchRaw,
            };
            candidates.Add(candidate);
        }

        return candidates;
    }

    /// <summary>
    /// Commits that touched the shared files after the session's last edit of each and before this commit,
    /// other than this change's own copies and the session's own series (commits it authored or whose diff
    /// holds its text). At most <see cref="InterveningCap"/> are collected.
    /// </summary>
    private List<string> Intervening(LinkCommit commit, string sessionId, List<Edit> edits, List<string> shared, out int seriesSkipped)
    {
        var written = CommitLinker.WrittenTs(commit);
        var copies = _sameChange.GetValueOrDefault(ChangeKey(commit));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var counted = new List<string>();
        seriesSkipped = 0;
        foreach (var path in shared)
        {
            if (!_timeline.TryGetValue(path, out var touches))
            {
                continue;
            }

            var fileLast = edits.Where(e => e.Path == path).Max(e => e.Ts);
            for (var i = FirstAfter(touches, fileLast); i < touches.Count && touches[i].Ts < written && counted.Count < InterveningCap; i++)
            {
                var sha = touches[i].Sha;
                if (sha == commit.Sha || copies?.Contains(sha) == true || !seen.Add(sha))
                {
                    continue;
                }

                if (InSeries(sha, sessionId))
                {
                    seriesSkipped++;
                    continue;
                }

                counted.Add(sha);
            }
        }

        counted.Sort(StringComparer.Ordinal);
        return counted;
    }

    /// <summary>Whether a commit belongs to the session's own series: it authored it, or its text is clearly in its diff.</summary>
    private bool InSeries(string sha, string sessionId)
    {
        if (_series.TryGetValue((sha, sessionId), out var known))
        {
            return known;
        }

        var result = false;
        if (_authoredBy.TryGetValue(sha, out var authors) && authors.Contains(sessionId))
        {
            result = true;
        }
        else if (_commitsBySha.TryGetValue(sha, out var commit))
        {
            var written = CommitLinker.WrittenTs(commit);
            var edits = (_filesByCommit.GetValueOrDefault(sha) ?? [])
                .SelectMany(p => _editsByPath.GetValueOrDefault(p) ?? [])
                .Where(e => e.SessionId == sessionId && e.Ts <= written + ClockSkew && written - e.Ts <= _textWindow && !string.IsNullOrEmpty(e.Text))
                .ToList();
            if (edits.Count > 0)
            {
                var (ratio, hits) = MatchText(sha, edits.Select(e => e.Path).Distinct(StringComparer.Ordinal).ToList(), edits.Select(e => e.Text).ToList());
                result = new TouchEvidence(TimeSpan.Zero, 0, ratio, 1, 1, hits).TextFound;
            }
        }

        _series[(sha, sessionId)] = result;
        return result;
    }

    private (double? Ratio, int Hits) MatchText(string sha, List<string> paths, List<string?> texts)
    {
        if (!_diffs.TryGetValue(sha, out var diff))
        {
            _diffs[sha] = diff = _addedLines(sha);
        }

        return diff is null ? (null, 0) : TextMatcher.Match(texts, TextMatcher.AddedSet(paths.SelectMany(p => diff.GetValueOrDefault(p) ?? [])));
    }

    /// <summary>
    /// Competition among the touch candidates of one commit. Sessions of the same task do not compete: a parent and the
    /// sub-agents it spawned edit one working tree, so whichever of them commits a file commits the others' edits of it
    /// too. Such a pair is scored on its own evidence and calibrated apart (<see cref="SameTaskRule"/>).
    /// </summary>
    private void Compete(List<Candidate> candidates)
    {
        foreach (var candidate in candidates)
        {
            var related = candidates.Where(o => o != candidate).Select(o => (Other: o, Relation: Relation(candidate.SessionId, o.SessionId))).ToList();
            var others = related.Where(r => r.Relation is null).Select(r => r.Other).ToList();
            var final = TouchScorer.Compete(candidate.TouchRaw, others.Select(o => o.TouchRaw));
            candidate.TouchDetails!["competingSessions"] = others.Select(o => new { sessionId = o.SessionId, raw = o.TouchRaw }).ToList();
            var sameTask = related.Where(r => r.Relation is not null).Select(r => new { sessionId = r.Other.SessionId, relation = r.Relation, raw = r.Other.TouchRaw }).ToList();
            if (sameTask.Count > 0)
            {
                candidate.TouchDetails["sameTask"] = sameTask;
            }

            candidate.TouchDetails["confidence"] = final;
            candidate.TouchDetails["final"] = final;
            candidate.TouchFinal = final;
        }
    }

    /// <summary>Co-authored: the commit names an agent; sessions of that agent active when the change was written.</summary>
    private void ScoreCoAuthored(LinkCommit commit, List<Candidate> touched)
    {
        var written = CommitLinker.WrittenTs(commit);
        var active = _sessions.Where(s => s.Agent.Equals(commit.Agent, StringComparison.OrdinalIgnoreCase) && !Impossible(s.SessionId, commit)
            && _activity[s.SessionId] is { } w && written >= w.Start - ClockSkew && written <= w.End).ToList();
        var touchBySession = touched.ToDictionary(t => t.SessionId, StringComparer.Ordinal);
        bool Tied(string sessionId) => touchBySession.ContainsKey(sessionId) || _pushed.ContainsKey((commit.Sha, sessionId));
        foreach (var session in active)
        {
            var touch = touchBySession.GetValueOrDefault(session.SessionId)?.TouchFinal;
            // A push ties only commits no other session's own output claims.
            var pushedTip = _authoredBy.TryGetValue(commit.Sha, out var authors) && !authors.Contains(session.SessionId)
                ? null
                : _pushed.GetValueOrDefault((commit.Sha, session.SessionId));
            var tie = pushedTip is null ? touch : Math.Max(touch ?? 0, CoAuthorScorer.PushedTie);
            var otherEdited = active.Any(o => o.SessionId != session.SessionId && Tied(o.SessionId));
            var score = CoAuthorScorer.Score(active.Count, tie, otherEdited);
            if (score is null)
            {
                continue;
            }

            var candidate = Pair(commit.Sha, session.SessionId);
            candidate.CoAuthored = score;
            candidate.CoAuthoredOnActivity = tie is null;
            candidate.CoAuthoredEvidence = new()
            {
                ["agent"] = commit.Agent,
                ["model"] = commit.AgentModel,
                ["activeFrom"] = _activity[session.SessionId]!.Value.Start,
                ["activeUntil"] = _activity[session.SessionId]!.Value.End,
                ["competingSessions"] = active.Where(o => o.SessionId != session.SessionId).Select(o => o.SessionId).ToList(),
                ["editedCommitFiles"] = touch is not null,
                ["pushedTip"] = pushedTip,
            };
        }
    }

    /// <summary>The rule of an <c>inferred-by-touch</c> pair whose session shares the commit's files with sessions of its own task.</summary>
    public const string SameTaskRule = "touch-same-task";

    /// <summary>The rule of an authored link found through the session's <c>git commit</c> command line (<see cref="AddCommitCommands"/>).</summary>
    public const string CommitCommandRule = "commit-command";

    /// <summary>
    /// How <paramref name="other"/> relates to <paramref name="session"/> in one task: its "parent", its "sub-agent", or a
    /// "sibling" sub-agent of the same parent; null when they are unrelated (from <c>sessions.parent_session_id</c>).
    /// </summary>
    private string? Relation(string session, string other)
    {
        var parent = _parents.GetValueOrDefault(session);
        var otherParent = _parents.GetValueOrDefault(other);
        return parent == other ? "parent"
            : otherParent == session ? "sub-agent"
            : parent is not null && parent == otherParent ? "sibling"
            : null;
    }

    /// <summary>A session that started after the change was written cannot have written it.</summary>
    private bool Impossible(string sessionId, LinkCommit commit) =>
        _activity.GetValueOrDefault(sessionId) is { } w && w.Start > CommitLinker.WrittenTs(commit) + ClockSkew;

    private void AddAuthored(string sha, string sessionId, Dictionary<string, object?> evidence)
    {
        if (!_commitsBySha.TryGetValue(sha, out var commit) || Impossible(sessionId, commit))
        {
            return;
        }

        var candidate = Pair(sha, sessionId);
        candidate.AuthoredEvidence ??= evidence;
        (_authoredBy.TryGetValue(sha, out var set) ? set : _authoredBy[sha] = new HashSet<string>(StringComparer.Ordinal)).Add(sessionId);
    }

    private Candidate Pair(string sha, string session)
    {
        if (!_pairs.TryGetValue((sha, session), out var c))
        {
            _pairs[(sha, session)] = c = new Candidate { SessionId = session };
        }

        return c;
    }

    /// <summary>
    /// Session edits, indexed by the repository path they name (<see cref="RepoPathIndex"/>). A longer path that maps
    /// to a top-level file (no folder in its repository path: <c>CLAUDE.md</c>, <c>README.md</c>) counts only when the
    /// folder holding it is a checkout of this repository as far as the session shows: its working folder, or the root
    /// another of its paths mapped under. The agent's own files (<c>~/.claude/CLAUDE.md</c>, a memory folder) only
    /// share a name with the repository's. An edit outside the session's working folder has no relative path, only its
    /// absolute one, and maps the same way.
    /// </summary>
    private void IndexEdits(IReadOnlyList<LinkSessionEvent> events, RepoPathIndex paths)
    {
        var edits = new List<(LinkSessionEvent Event, string Path)>();
        foreach (var e in events.Where(e => SessionEventKinds.IsEdit(e.Kind) && _sessionIds.Contains(e.SessionId)))
        {
            if (Map(e, paths) is { } mapped)
            {
                edits.Add((e, mapped));
            }
        }

        var roots = new HashSet<(string Session, string Folder)>();
        foreach (var s in _sessions.Where(s => !string.IsNullOrWhiteSpace(s.Cwd)))
        {
            roots.Add((s.SessionId, Folder(s.Cwd!)));
        }

        foreach (var (e, path) in edits.Where(m => m.Path.Contains('/', StringComparison.Ordinal) && !string.IsNullOrWhiteSpace(m.Event.AbsPath)))
        {
            var abs = Folder(e.AbsPath!);
            if (abs.EndsWith("/" + path, StringComparison.Ordinal))
            {
                roots.Add((e.SessionId, abs[..^(path.Length + 1)]));
            }
        }

        foreach (var (e, path) in edits)
        {
            if (!path.Contains('/', StringComparison.Ordinal) && !string.IsNullOrWhiteSpace(e.AbsPath) && !IsExactly(e.Path, path))
            {
                var abs = Folder(e.AbsPath);
                if (!roots.Contains((e.SessionId, abs[..Math.Max(0, abs.LastIndexOf('/'))])))
                {
                    continue;
                }
            }

            (_editsByPath.TryGetValue(path, out var list) ? list : _editsByPath[path] = []).Add(new Edit(e.SessionId, path, e.Ts, e.AddedText));
        }
    }

    /// <summary>The repository path an edit names: its relative path's, else its absolute path's (a file outside the session's folder has only that).</summary>
    private static string? Map(LinkSessionEvent e, RepoPathIndex paths) =>
        (string.IsNullOrWhiteSpace(e.Path) ? null : paths.Resolve(e.Path)) ?? (string.IsNullOrWhiteSpace(e.AbsPath) ? null : paths.Resolve(e.AbsPath));

    /// <summary>Whether the session's relative path is the repository path itself (<c>README.md</c>, <c>./README.md</c>).</summary>
    private static bool IsExactly(string? relative, string path)
    {
        if (relative is null)
        {
            return false;
        }

        var r = Folder(relative);
        return (r.StartsWith("./", StringComparison.Ordinal) ? r[2..] : r) == path;
    }

    /// <summary>A folder or file path with <c>/</c> separators and no trailing <c>/</c>, for comparing folders.</summary>
    private static string Folder(string path) => path.Replace('\\', '/').TrimEnd('/');

    /// <summary>
    /// Commits a session pushed: first-parent ancestors of a tip its <c>git push</c> output named, written while
    /// it was active (from its start; older ancestors were already on the remote or are others' work) and
    /// committed by the same identity as the tip (a hosting service's merge commits on the base were not).
    /// </summary>
    private void IndexPushes(IReadOnlyList<LinkSessionEvent> events)
    {
        var shas = _commitsBySha.Keys.Order(StringComparer.Ordinal).ToArray();
        foreach (var e in events.Where(e => e.Kind == SessionEventKinds.Push && !string.IsNullOrWhiteSpace(e.Sha) && e.IsError == 0 && _sessionIds.Contains(e.SessionId)))
        {
            if (_activity.GetValueOrDefault(e.SessionId) is not { } active || ResolvePrefix(shas, e.Sha!.Trim().ToLowerInvariant()) is not { } tip)
            {
                continue;
            }

            var committer = _commitsBySha[tip].CommitterEmail;
            var queue = new Queue<string>([tip]);
            var visited = new HashSet<string>(StringComparer.Ordinal);
            while (queue.Count > 0 && visited.Count < 500)
            {
                var sha = queue.Dequeue();
                if (!visited.Add(sha) || !_commitsBySha.TryGetValue(sha, out var commit) || CommitLinker.WrittenTs(commit) < active.Start - ClockSkew
                    || CommitLinker.WrittenTs(commit) > e.Ts + ClockSkew || !string.Equals(commit.CommitterEmail, committer, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                _pushed.TryAdd((sha, e.SessionId), tip);

                // First parents only: a merge brings in others' work that the push did not write.
                if (CommitLinker.Parents(commit).FirstOrDefault() is { } parent)
                {
                    queue.Enqueue(parent);
                }
            }
        }
    }

    private static string? ResolvePrefix(string[] sortedShas, string prefix)
    {
        if (prefix.Length < 7)
        {
            return null;
        }

        var i = Array.BinarySearch(sortedShas, prefix, StringComparer.Ordinal);
        i = i < 0 ? ~i : i;
        return i < sortedShas.Length && sortedShas[i].StartsWith(prefix, StringComparison.Ordinal)
            && (i + 1 >= sortedShas.Length || !sortedShas[i + 1].StartsWith(prefix, StringComparison.Ordinal))
            ? sortedShas[i]
            : null;
    }

    /// <summary>Per-file timeline of non-merge commits by the time their change was written.</summary>
    private void IndexTimeline()
    {
        foreach (var commit in _commits.Where(c => !IsMerge(c)))
        {
            foreach (var path in _filesByCommit.GetValueOrDefault(commit.Sha) ?? [])
            {
                (_timeline.TryGetValue(path, out var list) ? list : _timeline[path] = []).Add((CommitLinker.WrittenTs(commit), commit.Sha));
            }
        }

        foreach (var list in _timeline.Values)
        {
            list.Sort((a, b) => a.Ts.CompareTo(b.Ts));
        }
    }

    /// <summary>Copies of one change: non-merge commits with the same author, author time and subject.</summary>
    private void IndexSameChanges()
    {
        foreach (var group in _commits.Where(c => !IsMerge(c) && c.AuthorTs is not null && !string.IsNullOrWhiteSpace(c.Subject)).GroupBy(ChangeKey, StringComparer.Ordinal))
        {
            var shas = group.Select(c => c.Sha).ToList();
            if (shas.Count > 1)
            {
                _sameChange[group.Key] = shas;
            }
        }
    }

    private IEnumerable<string> SameChange(string sha) =>
        _commitsBySha.TryGetValue(sha, out var commit) && _sameChange.TryGetValue(ChangeKey(commit), out var copies)
            ? copies.Where(s => s != sha)
            : [];

    /// <summary>The key same-change copies share (a rebased, amended or cherry-picked commit): author email, author time, subject.</summary>
    internal static string ChangeKey(LinkCommit c) =>
        string.Concat(c.AuthorEmail?.Trim().ToLowerInvariant(), "\n", c.AuthorTs?.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), "\n", c.Subject?.Trim());

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
}
