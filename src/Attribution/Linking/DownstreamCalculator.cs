using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Attribution.Store;

namespace Attribution.Linking;

/// <summary>
/// Downstream touches of commits and merged PRs from plain values: later non-merge commits touching the same files
/// (followed through renames) within the window that are not the same work (not the target's own PR, not commits of
/// the sessions linked to it at or above the threshold, not same-change copies of any of those: a rebased series).
/// Each touch is classified revert / fix / other with the lines of the target it changed, which a caller-supplied
/// reader of git answers (<see cref="LineQuestion"/>); without it, the subject alone decides. Commit targets are
/// chosen by the caller (commits with a session link or an agent marker): every commit of a busy repository times
/// every later touch of its hot files would be quadratic and tell nobody anything.
/// </summary>
public static class DownstreamCalculator
{
    public const string CommitTarget = "commit";
    public const string PrTarget = "pr";

    /// <summary>Bumped when the line rules change, so stored line facts are read again.</summary>
    public const int LineRulesVersion = 1;

    /// <summary>Survival is counted this many days after the work landed, and this many.</summary>
    public const int ShortSurvivalDays = Outcomes.Verdicts.StillGoodDays;

    public const int LongSurvivalDays = Outcomes.Verdicts.SurvivalDays;

    public sealed record Output(HashSet<(string Kind, string Key)> Targets, List<DownstreamTouch> Touches, List<LineOutcome> Outcomes);

    /// <summary>What counts as the same work: links and the threshold from which a link counts.</summary>
    public sealed record SameWork(IReadOnlyList<StoredCommitLink> Links, double Threshold);

    public static Output Compute(
        IReadOnlyList<LinkCommit> commits,
        IReadOnlyList<LinkCommitFile> files,
        IReadOnlyList<LinkPullRequest> pullRequests,
        IReadOnlyList<LinkPrCommit> prCommits,
        DateTimeOffset targetsSince,
        TimeSpan window,
        Func<LinkCommit, bool> isCommitTarget,
        SameWork? sameWork = null,
        DateTimeOffset? now = null,
        Func<LineQuestion, LineAnswer?>? lines = null)
    {
        var filesByCommit = files.GroupBy(f => f.Sha).ToDictionary(g => g.Key, g => g.Select(f => f.Path).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var prsOfCommit = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var commitsOfPr = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var pc in prCommits)
        {
            var key = DownstreamStore.PrKey(pc.Provider, pc.PrNumber);
            (prsOfCommit.TryGetValue(pc.Sha, out var s) ? s : prsOfCommit[pc.Sha] = new(StringComparer.Ordinal)).Add(key);
            (commitsOfPr.TryGetValue(key, out var c) ? c : commitsOfPr[key] = new(StringComparer.Ordinal)).Add(pc.Sha);
        }

        var bySha = commits.ToDictionary(c => c.Sha, StringComparer.Ordinal);
        var work = new WorkIndex(commits, sameWork);
        var timeline = new Dictionary<string, List<(LinkCommit Commit, string? RenamedTo)>>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (!bySha.TryGetValue(file.Sha, out var commit) || IsMerge(commit))
            {
                continue;
            }

            Add(file.Path, (commit, null));
            if (!string.IsNullOrEmpty(file.OldPath) && file.OldPath != file.Path)
            {
                // A rename touches the old name and carries the lines on under the new one.
                Add(file.OldPath, (commit, file.Path));
            }
        }

        foreach (var list in timeline.Values)
        {
            list.Sort((a, b) => a.Commit.CommitterTs.CompareTo(b.Commit.CommitterTs));
        }

        var targets = new HashSet<(string, string)>();
        var touches = new List<DownstreamTouch>();
        var outcomes = new List<LineOutcome>();
        var clock = now ?? DateTimeOffset.MaxValue;

        foreach (var commit in commits.Where(c => !IsMerge(c) && c.CommitterTs >= targetsSince && isCommitTarget(c)))
        {
            var paths = filesByCommit.GetValueOrDefault(commit.Sha);
            if (paths is null)
            {
                continue;
            }

            targets.Add((CommitTarget, commit.Sha));
            var excluded = new HashSet<string>(StringComparer.Ordinal) { commit.Sha };
            foreach (var pr in prsOfCommit.GetValueOrDefault(commit.Sha) ?? [])
            {
                excluded.UnionWith(commitsOfPr[pr]);
            }

            work.AddSameWork(excluded);
            var followed = Follow(paths, commit.CommitterTs, window, excluded, timeline);
            var answer = Ask(lines, CommitTarget, commit.Sha, commit.Sha, [commit.Sha], followed, commit.CommitterTs, clock);
            Record(CommitTarget, commit.Sha, [commit.Sha], followed, answer, revertingCommits: null);
        }

        foreach (var pr in pullRequests.Where(p => p.State == "merged" && p.MergedAt is not null && p.MergedAt >= targetsSince))
        {
            var key = DownstreamStore.PrKey(pr.Provider, pr.PrNumber);
            targets.Add((PrTarget, key));
            var own = commitsOfPr.GetValueOrDefault(key) ?? new HashSet<string>(StringComparer.Ordinal);
            var origins = new HashSet<string>(own, StringComparer.Ordinal);
            if (pr.MergeCommitSha is not null)
            {
                origins.Add(pr.MergeCommitSha);
            }

            var excluded = new HashSet<string>(origins, StringComparer.Ordinal);
            work.AddSameWork(excluded);
            var paths = own.SelectMany(s => filesByCommit.GetValueOrDefault(s) ?? []).Distinct(StringComparer.Ordinal).ToList();
            var revertingCommits = pr.RevertedByPr is { } by ? commitsOfPr.GetValueOrDefault(DownstreamStore.PrKey(pr.Provider, by)) : null;
            var followed = Follow(paths, pr.MergedAt!.Value, window, excluded, timeline);
            var answer = pr.MergeCommitSha is null ? null
                : Ask(lines, PrTarget, key, pr.MergeCommitSha, origins.Order(StringComparer.Ordinal).ToList(), followed, pr.MergedAt.Value, clock);
            Record(PrTarget, key, origins.ToList(), followed, answer, revertingCommits);
        }

        return new Output(targets, touches, outcomes);

        void Add(string path, (LinkCommit, string?) entry) =>
            (timeline.TryGetValue(path, out var l) ? l : timeline[path] = []).Add(entry);

        void Record(string kind, string key, IReadOnlyCollection<string> targetShas, Followed followed, LineAnswer? answer, HashSet<string>? revertingCommits)
        {
            var rewritten = 0;
            foreach (var (touch, touchedFiles) in followed.Touches)
            {
                var changed = answer?.ChangedByTouch.GetValueOrDefault(touch.Sha);
                var classification = DownstreamRules.Classify(touch.Subject, touch.RevertsSha, targetShas, revertingCommits?.Contains(touch.Sha) == true, changed, answer?.Written);
                touches.Add(new DownstreamTouch(kind, key, touch.Sha, classification, touch.CommitterTs, JsonSerializer.Serialize(touchedFiles), changed));
                rewritten += changed ?? 0;
            }

            if (answer is not null)
            {
                outcomes.Add(new LineOutcome(kind, key, answer.Written, answer.AtHead, answer.After14d, answer.After30d, rewritten, answer.HeadSha,
                    Fingerprint(kind, key, followed, clock)));
            }
        }
    }

    private static LineAnswer? Ask(
        Func<LineQuestion, LineAnswer?>? lines, string kind, string key, string anchor, IReadOnlyList<string> origins, Followed followed, DateTimeOffset since, DateTimeOffset now)
    {
        if (lines is null || followed.Paths.Count == 0)
        {
            return null;
        }

        var question = new LineQuestion(kind, key, Fingerprint(kind, key, followed, now), anchor, origins, followed.Paths,
            followed.Touches.Select(t => t.Touch.Sha).ToList(), since);
        return lines(question);
    }

    /// <summary>
    /// Names everything a target's line facts are read from: the target, its files and their later commits (any time,
    /// any author: each can move its lines at the head), its touches, and which survival horizons have passed.
    /// </summary>
    private static string Fingerprint(string kind, string key, Followed followed, DateTimeOffset now)
    {
        // The same bytes as one text "version|kind|key|p:path...|l:sha...|t:sha...|d:TrueFalse", hashed as they are
        // written: an old target's text runs to thousands of later commits, and building it whole cost more than hashing it.
        using var hash = new StreamingHash();
        hash.Append(LineRulesVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("|").Append(kind).Append("|").Append(key);
        foreach (var path in followed.Paths.Order(StringComparer.Ordinal))
        {
            hash.Append("|p:").Append(path);
        }

        foreach (var sha in followed.Later.Order(StringComparer.Ordinal))
        {
            hash.Append("|l:").Append(sha);
        }

        foreach (var (touch, _) in followed.Touches)
        {
            hash.Append("|t:").Append(touch.Sha);
        }

        hash.Append("|d:").Append((now >= followed.Since.AddDays(ShortSurvivalDays)).ToString()).Append((now >= followed.Since.AddDays(LongSurvivalDays)).ToString());
        return hash.HexDigest();
    }

    /// <summary>SHA-256 of UTF-8 text appended piece by piece, through one pooled buffer.</summary>
    private sealed class StreamingHash : IDisposable
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        private int _used;

        public StreamingHash Append(string text)
        {
            var most = Encoding.UTF8.GetMaxByteCount(text.Length);
            if (most > _buffer.Length - _used)
            {
                Flush();
                if (most > _buffer.Length)
                {
                    _hash.AppendData(Encoding.UTF8.GetBytes(text));
                    return this;
                }
            }

            _used += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_used));
            return this;
        }

        public string HexDigest()
        {
            Flush();
            return Convert.ToHexStringLower(_hash.GetHashAndReset());
        }

        public void Dispose()
        {
            _hash.Dispose();
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        private void Flush()
        {
            _hash.AppendData(_buffer, 0, _used);
            _used = 0;
        }
    }

    private sealed record Followed(DateTimeOffset Since, List<string> Paths, HashSet<string> Later, List<(LinkCommit Touch, List<string> Files)> Touches);

    /// <summary>
    /// The target's files followed through later renames, every later commit of them, and the touches: those within the
    /// window that are not the same work.
    /// </summary>
    private static Followed Follow(
        IReadOnlyList<string> paths, DateTimeOffset from, TimeSpan window, HashSet<string> excluded, Dictionary<string, List<(LinkCommit Commit, string? RenamedTo)>> timeline)
    {
        var found = new Dictionary<string, (LinkCommit Commit, List<string> Files)>(StringComparer.Ordinal);
        var later = new HashSet<string>(StringComparer.Ordinal);
        var followed = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<(string Path, DateTimeOffset From)>(paths.Select(p => (p, from)));
        var until = from + window;
        while (pending.Count > 0)
        {
            var (path, after) = pending.Dequeue();
            if (!seen.Add(path))
            {
                continue;
            }

            followed.Add(path);
            if (!timeline.TryGetValue(path, out var list))
            {
                continue;
            }

            for (var i = FirstAfter(list, after); i < list.Count; i++)
            {
                var (touch, renamedTo) = list[i];
                later.Add(touch.Sha);
                if (renamedTo is not null)
                {
                    pending.Enqueue((renamedTo, touch.CommitterTs));
                }

                if (touch.CommitterTs > until || excluded.Contains(touch.Sha))
                {
                    continue;
                }

                if (!found.TryGetValue(touch.Sha, out var entry))
                {
                    found[touch.Sha] = entry = (touch, []);
                }

                entry.Files.Add(path);
            }
        }

        return new Followed(from, followed, later, found.Values.OrderBy(v => v.Commit.CommitterTs).Select(v => (v.Commit, v.Files)).ToList());
    }

    private static int FirstAfter(List<(LinkCommit Commit, string? RenamedTo)> list, DateTimeOffset from)
    {
        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (list[mid].Commit.CommitterTs <= from)
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

    private static bool IsMerge(LinkCommit commit) => commit.Parents.Contains(',', StringComparison.Ordinal);

    /// <summary>
    /// The same work as a set of commits: the sessions linked (at or above the threshold) to any of them bring all their
    /// linked commits, and every same-change copy (same author, author time and subject: a rebase) of any is added.
    /// </summary>
    private sealed class WorkIndex
    {
        private readonly Dictionary<string, List<string>> _sessionsOf = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _commitsOf = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _keyOf = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _copies = new(StringComparer.Ordinal);

        public WorkIndex(IReadOnlyList<LinkCommit> commits, SameWork? sameWork)
        {
            foreach (var link in sameWork?.Links.Where(l => l.Confidence >= sameWork.Threshold) ?? [])
            {
                (_sessionsOf.TryGetValue(link.CommitSha, out var s) ? s : _sessionsOf[link.CommitSha] = []).Add(link.SessionId);
                (_commitsOf.TryGetValue(link.SessionId, out var c) ? c : _commitsOf[link.SessionId] = []).Add(link.CommitSha);
            }

            foreach (var commit in commits.Where(c => !IsMerge(c) && c.AuthorTs is not null && !string.IsNullOrWhiteSpace(c.Subject)))
            {
                var key = LinkPass.ChangeKey(commit);
                _keyOf[commit.Sha] = key;
                (_copies.TryGetValue(key, out var l) ? l : _copies[key] = []).Add(commit.Sha);
            }
        }

        public void AddSameWork(HashSet<string> shas)
        {
            foreach (var sha in shas.ToList())
            {
                foreach (var session in _sessionsOf.GetValueOrDefault(sha) ?? [])
                {
                    shas.UnionWith(_commitsOf[session]);
                }
            }

            foreach (var sha in shas.ToList())
            {
                if (_keyOf.TryGetValue(sha, out var key))
                {
                    shas.UnionWith(_copies[key]);
                }
            }
        }
    }
}
