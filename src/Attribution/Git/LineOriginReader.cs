using LibGit2Sharp;

namespace Attribution.Git;

/// <summary>
/// Line-level facts of a piece of work (one commit, or the commits of a PR) read with blame, from one open clone:
/// how many lines of some files originate in the work at a given commit (written, at head, at a past tip of the
/// default branch), and how many of its lines a later commit removed or rewrote. The work's own snapshot is blamed
/// within the work (the walk stops at its first parent); a later snapshot (the head, a past tip, a touching commit's
/// parent), which many pieces of work share, is blamed whole once per file and kept for the pass (as is each touching
/// commit's diff). Answers null when the clone cannot tell (missing objects, the work not in the snapshot's history).
/// Dispose when done.
/// </summary>
public sealed partial class LineOriginReader : IDisposable
{
    private static readonly CompareOptions DiffOptions = new() { ContextLines = 0, InterhunkLines = 0, Similarity = SimilarityOptions.Renames };

    private readonly Repository _repo;
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly List<(string Sha, DateTimeOffset Ts)> _firstParents = [];
    private Commit? _firstParentsNext;
    private string? _firstParentsHead;

    // Whole-file blames by (snapshot, path), shared by every target of a pass: the head, a past tip or a touch's parent
    // is blamed once per file however many pieces of work ask about it. Bounded by the lines held; cleared when full.
    private readonly Dictionary<(string Snapshot, string Path), List<(string Origin, int Line)>> _blames = [];
    private int _cachedLines;

    // What each touching commit removed, by touch sha, shared the same way (its diff is computed once per pass).
    private readonly Dictionary<string, TouchDeletions> _deletions = new(StringComparer.Ordinal);
    private int _cachedDeletedLines;
    private const int MaxCachedLines = 2_000_000;

    private LineOriginReader(string path, ILogger logger, bool boundYoungWork)
    {
        BoundYoungWork = boundYoungWork;
        _repo = new Repository(path);
        _path = path;
        _logger = logger;
    }

    /// <summary>Opens the clone; null when it is not a repository.</summary>
    public static LineOriginReader? Open(string path, ILogger logger, bool boundYoungWork = false) =>
        GitHistoryReader.IsRepository(path) ? new LineOriginReader(path, logger, boundYoungWork) : null;

    /// <summary>The sha of the default branch's tip (see <see cref="GitHistoryReader.DefaultBranch"/>), else HEAD's.</summary>
    public string? HeadSha
    {
        get
        {
            var branch = GitHistoryReader.DefaultBranch(_path);
            foreach (var name in branch is null ? [] : new[] { $"refs/heads/{branch}", $"refs/remotes/origin/{branch}" })
            {
                if (_repo.Refs[name]?.ResolveToDirectReference()?.Target?.Peel<Commit>() is { } tip)
                {
                    return tip.Sha;
                }
            }

            return _repo.Head?.Tip?.Sha;
        }
    }

    /// <summary>
    /// The paths (either side of a rename) whose content differs between the trees of <paramref name="fromSha"/> and
    /// <paramref name="toSha"/>, read once per pair; null when either commit is unknown to the clone.
    /// </summary>
    public IReadOnlySet<string>? PathsChangedBetween(string fromSha, string toSha)
    {
        if (_changedBetween.TryGetValue((fromSha, toSha), out var cached))
        {
            return cached;
        }

        HashSet<string>? paths = null;
        try
        {
            if (_repo.Lookup<Commit>(fromSha) is { } from && _repo.Lookup<Commit>(toSha) is { } to)
            {
                paths = new HashSet<string>(StringComparer.Ordinal);
                foreach (var change in _repo.Diff.Compare<TreeChanges>(from.Tree, to.Tree))
                {
                    paths.Add(change.Path);
                    paths.Add(change.OldPath);
                }
            }
        }
        catch (Exception ex) when (ex is LibGit2SharpException or ArgumentException)
        {
            LogUnavailable(_logger, _path, fromSha, ex.Message);
        }

        _changedBetween[(fromSha, toSha)] = paths;
        return paths;
    }

    private readonly Dictionary<(string From, string To), HashSet<string>?> _changedBetween = [];

    /// <summary>The first parent of <paramref name="sha"/>, or null (root commit, unknown commit).</summary>
    public string? FirstParent(string sha)
    {
        try
        {
            return _repo.Lookup<Commit>(sha)?.Parents.FirstOrDefault()?.Sha;
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }

    /// <summary>
    /// The commits from <paramref name="fromSha"/> (excluded) to <paramref name="toSha"/> (included), oldest first, when
    /// <paramref name="toSha"/> is reached from <paramref name="fromSha"/> by at most <paramref name="max"/> commits of one
    /// parent each (a head that moved forward without merges); null otherwise. Read once per question.
    /// </summary>
    public IReadOnlyList<string>? LinearSince(string fromSha, string toSha, int max = 32)
    {
        if (_linear.TryGetValue((fromSha, toSha, max), out var cached))
        {
            return cached;
        }

        var chain = Walk();
        _linear[(fromSha, toSha, max)] = chain;
        return chain;

        List<string>? Walk()
        {
            var walked = new List<string>();
            try
            {
                for (var commit = _repo.Lookup<Commit>(toSha); commit is not null; commit = commit.Parents.Single())
                {
                    if (commit.Sha == fromSha)
                    {
                        walked.Reverse();
                        return walked;
                    }

                    if (commit.Parents.Count() != 1 || walked.Count == max)
                    {
                        return null;
                    }

                    walked.Add(commit.Sha);
                }
            }
            catch (LibGit2SharpException)
            {
            }

            return null;
        }
    }

    private readonly Dictionary<(string From, string To, int Max), List<string>?> _linear = [];

    /// <summary>
    /// Whether the tip at <paramref name="at"/> on <paramref name="headSha"/>'s first-parent chain is the one it was on
    /// <paramref name="readAtSha"/>'s, which was committed at or after <paramref name="at"/>: the earlier head is on the
    /// chain and no commit after it is older than <paramref name="at"/>.
    /// </summary>
    public bool SameTipAt(string readAtSha, string headSha, DateTimeOffset at)
    {
        foreach (var (sha, ts) in FirstParents(headSha))
        {
            if (sha == readAtSha)
            {
                return ts >= at;
            }

            if (ts <= at)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// The commit the default branch pointed at, as far as its first-parent chain tells, at <paramref name="at"/>:
    /// the newest first-parent ancestor of <paramref name="headSha"/> committed at or before that time.
    /// </summary>
    public string? TipAt(string headSha, DateTimeOffset at)
    {
        foreach (var (sha, ts) in FirstParents(headSha))
        {
            if (ts <= at)
            {
                return sha;
            }
        }

        return null;
    }

    /// <summary>
    /// Lines of <paramref name="paths"/> at <paramref name="snapshotSha"/> whose last change is one of
    /// <paramref name="origins"/>; null when <paramref name="anchorSha"/> (the work as it landed) is not in the
    /// snapshot's history or the clone cannot tell. <paramref name="boundarySha"/> (the anchor's first parent) bounds
    /// the walk: lines older than the work stop there.
    /// </summary>
    /// <remarks>
    /// <paramref name="texts"/> (see <see cref="AddedTexts"/>) spares the blame of a file holding none of the work's lines.
    /// </remarks>
    public int? CountLines(string snapshotSha, string anchorSha, string? boundarySha, IReadOnlySet<string> origins, IReadOnlyCollection<string> paths, IReadOnlySet<string>? texts = null)
    {
        try
        {
            var snapshot = _repo.Lookup<Commit>(snapshotSha);
            var anchor = _repo.Lookup<Commit>(anchorSha);
            if (snapshot is null || anchor is null || !Contains(snapshot, anchor))
            {
                return null;
            }

            var boundary = boundarySha is null ? null : _repo.Lookup<Commit>(boundarySha);
            var count = 0;
            foreach (var path in paths)
            {
                if (snapshot[path] is not { TargetType: TreeEntryTargetType.Blob } entry
                    || (texts is not null && !_blames.ContainsKey((snapshot.Sha, path))
                        && !((Blob)entry.Target).GetContentText().Split('\n').Any(l => texts.Contains(l.TrimEnd('\r')))))
                {
                    continue;
                }

                // The work's own snapshot is blamed within the work (one step back); a later one (the head, a past tip) is
                // blamed whole once and shared by every piece of work asking about it: a line whose origin is one of the
                // work's commits is the same line either way.
                var lines = snapshot.Id == anchor.Id ? Blame(snapshot, boundary, path) : LaterBlame(snapshot, boundary, path);
                count += lines.Count(l => origins.Contains(l.Origin));
            }

            return count;
        }
        catch (Exception ex) when (ex is LibGit2SharpException or ArgumentException)
        {
            LogUnavailable(_logger, _path, snapshotSha, ex.Message);
            return null;
        }
    }

    /// <summary>
    /// The texts of the lines <paramref name="shas"/> add (each against its first parent): a line whose text is not among
    /// them cannot be theirs, so blame is needed only for the others. Null when a commit cannot be read.
    /// </summary>
    public IReadOnlySet<string>? AddedTexts(IEnumerable<string> shas)
    {
        try
        {
            var texts = new HashSet<string>(StringComparer.Ordinal);
            foreach (var sha in shas)
            {
                if (_repo.Lookup<Commit>(sha) is not { } commit)
                {
                    return null;
                }

                foreach (var entry in ChangedPaths.Diff(_repo, commit.Parents.FirstOrDefault()?.Tree, commit.Tree, DiffOptions))
                {
                    texts.UnionWith(entry.AddedLines.Select(l => l.Content.TrimEnd('\n', '\r')));
                }
            }

            return texts;
        }
        catch (Exception ex) when (ex is LibGit2SharpException or ArgumentException)
        {
            LogUnavailable(_logger, _path, string.Join(',', shas), ex.Message);
            return null;
        }
    }

    /// <summary>
    /// How many lines of <paramref name="paths"/> (names as of the touch's first parent) <paramref name="touchSha"/>
    /// removed or rewrote that originate in <paramref name="origins"/> (the blame at its first parent: whole, or from
    /// <paramref name="boundarySha"/>, the work's first parent, on, as <see cref="LaterBlame"/> decides); null when the
    /// clone cannot tell.
    /// </summary>
    /// <remarks>Only removed lines whose text is one of <paramref name="texts"/> (when given) can be the work's: the others are not blamed.</remarks>
    public int? ChangedLines(string touchSha, string? boundarySha, IReadOnlySet<string> origins, IReadOnlyCollection<string> paths, IReadOnlySet<string>? texts = null)
    {
        try
        {
            if (Deletions(touchSha) is not { } touch)
            {
                return null;
            }

            var boundary = boundarySha is null ? null : _repo.Lookup<Commit>(boundarySha);
            var count = 0;
            foreach (var path in paths.Distinct(StringComparer.Ordinal))
            {
                if (!touch.Deleted.TryGetValue(path, out var lines))
                {
                    continue;
                }

                var deleted = lines.Where(l => texts is null || texts.Contains(l.Text)).Select(l => l.Line).ToHashSet();
                if (deleted.Count > 0)
                {
                    count += LaterBlame(touch.Parent, boundary, path).Count(l => deleted.Contains(l.Line) && origins.Contains(l.Origin));
                }
            }

            return count;
        }
        catch (Exception ex) when (ex is LibGit2SharpException or ArgumentException)
        {
            LogUnavailable(_logger, _path, touchSha, ex.Message);
            return null;
        }
    }

    /// <summary>
    /// The lines a commit removed or rewrote, per file (names as of its first parent, files only), diffed once per pass
    /// however many pieces of work it touches; null for a root or unknown commit.
    /// </summary>
    private TouchDeletions? Deletions(string touchSha)
    {
        if (_deletions.TryGetValue(touchSha, out var cached))
        {
            return cached;
        }

        var touch = _repo.Lookup<Commit>(touchSha);
        if (touch?.Parents.FirstOrDefault() is not { } parent)
        {
            return null;
        }

        var deleted = new Dictionary<string, List<(int Line, string Text)>>(StringComparer.Ordinal);
        foreach (var entry in ChangedPaths.Diff(_repo, parent.Tree, touch.Tree, DiffOptions))
        {
            var oldPath = entry.OldPath ?? entry.Path;
            if (entry.DeletedLines.Count > 0 && parent[oldPath] is { TargetType: TreeEntryTargetType.Blob })
            {
                deleted[oldPath] = entry.DeletedLines.Select(l => (l.LineNumber, l.Content.TrimEnd('\n', '\r'))).ToList();
            }
        }

        var lines = deleted.Values.Sum(l => l.Count);
        if (_cachedDeletedLines + lines > MaxCachedLines)
        {
            _deletions.Clear();
            _cachedDeletedLines = 0;
        }

        var result = new TouchDeletions(parent, deleted);
        _deletions[touchSha] = result;
        _cachedDeletedLines += lines;
        return result;
    }

    private sealed record TouchDeletions(Commit Parent, Dictionary<string, List<(int Line, string Text)>> Deleted);

    /// <summary>The origin of every line of <paramref name="path"/> at <paramref name="snapshot"/>, read once per pass.</summary>
    private List<(string Origin, int Line)> WholeFileBlame(Commit snapshot, string path)
    {
        if (_blames.TryGetValue((snapshot.Sha, path), out var cached))
        {
            return cached;
        }

        var lines = Blame(snapshot, null, path);
        if (_cachedLines + lines.Count > MaxCachedLines)
        {
            _blames.Clear();
            _cachedLines = 0;
        }

        _blames[(snapshot.Sha, path)] = lines;
        _cachedLines += lines.Count;
        return lines;
    }

    /// <summary>
    /// Whether a later snapshot of young work (<see cref="RecentWork"/>) is blamed from the work's first parent on rather
    /// than whole. Set for a pass over few targets (an incremental one): git then walks only the commits since the work
    /// (milliseconds) where a whole-file blame walks the file's whole history (about a second per file on a 100k-commit
    /// history) for one target. Left off for a full pass, where one whole-file blame serves every target of the file.
    /// </summary>
    public bool BoundYoungWork { get; }

    /// <summary>How long after the work a later snapshot is still blamed from the work on (<see cref="BoundYoungWork"/>).</summary>
    private static readonly TimeSpan RecentWork = TimeSpan.FromDays(60);

    /// <summary>
    /// The origins of <paramref name="path"/>'s lines at a snapshot later than the work: from the work's first parent on
    /// (<see cref="BoundYoungWork"/>) or the shared whole-file blame. A line whose origin is one of the work's commits is the
    /// same line either way: the bounded walk passes every commit between the work and the snapshot.
    /// </summary>
    private List<(string Origin, int Line)> LaterBlame(Commit snapshot, Commit? boundary, string path) =>
        BoundYoungWork && boundary is not null && !_blames.ContainsKey((snapshot.Sha, path)) && snapshot.Committer.When - boundary.Committer.When <= RecentWork
            ? Blame(snapshot, boundary, path)
            : WholeFileBlame(snapshot, path);

    /// <summary>
    /// The origin (the commit that last changed it) of each line of <paramref name="path"/> at <paramref name="snapshot"/>;
    /// lines older than <paramref name="boundary"/> are the boundary's. git's own blame when git can be run (libgit2's takes
    /// seconds on a file with a long history, git's milliseconds), else libgit2's.
    /// </summary>
    private List<(string Origin, int Line)> Blame(Commit snapshot, Commit? boundary, string path)
    {
        var args = new List<string> { "blame", "--porcelain" };
        args.Add(boundary is null ? snapshot.Sha : $"{boundary.Sha}..{snapshot.Sha}");
        args.Add("--");
        args.Add(path);
        if (GitPathText.RunGit(_path, BlameTimeout, [.. args]) is { } output)
        {
            return ParsePorcelain(output);
        }

        var options = new BlameOptions { StartingAt = snapshot, StoppingAt = boundary };
        return _repo.Blame(path, options)
            .SelectMany(h => Enumerable.Range(h.FinalStartLineNumber + 1, h.LineCount).Select(line => (h.FinalCommit.Sha, line)))
            .ToList();
    }

    private static readonly TimeSpan BlameTimeout = TimeSpan.FromMinutes(2);

    private static readonly System.Buffers.SearchValues<char> Hex = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>
    /// <c>git blame --porcelain</c>: every line of the result is announced by a header <c>&lt;sha&gt; &lt;orig&gt; &lt;final&gt;
    /// [&lt;count&gt;]</c>, followed by optional metadata and the line itself after a tab.
    /// </summary>
    internal static List<(string Origin, int Line)> ParsePorcelain(byte[] output)
    {
        var result = new List<(string, int)>();
        var origins = new Dictionary<string, string>(StringComparer.Ordinal); // one string per origin, however many lines it has
        var text = System.Text.Encoding.UTF8.GetString(output);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length < 44 || line[0] == '\t' || line[40] != ' ' || line.AsSpan(0, 40).ContainsAnyExcept(Hex))
            {
                continue;
            }

            var fields = line.Split(' ');
            if (fields.Length is 3 or 4 && int.TryParse(fields[2], System.Globalization.CultureInfo.InvariantCulture, out var final))
            {
                if (!origins.TryGetValue(fields[0], out var origin))
                {
                    origins[fields[0]] = origin = fields[0];
                }

                result.Add((origin, final));
            }
        }

        return result;
    }

    public void Dispose() => _repo.Dispose();

    private bool Contains(Commit snapshot, Commit anchor) =>
        snapshot.Id == anchor.Id || _repo.ObjectDatabase.FindMergeBase(snapshot, anchor)?.Id == anchor.Id;

    /// <summary>
    /// The head's first-parent chain, newest first, walked only as far as a caller reads it and kept for the next one
    /// (a 100k-commit chain walked whole costs ≈ 0.8 s; the horizons asked about are weeks back).
    /// </summary>
    private IEnumerable<(string Sha, DateTimeOffset Ts)> FirstParents(string headSha)
    {
        if (_firstParentsHead != headSha)
        {
            _firstParents.Clear();
            _firstParentsHead = headSha;
            _firstParentsNext = _repo.Lookup<Commit>(headSha);
        }

        for (var i = 0; ; i++)
        {
            if (i == _firstParents.Count && !Extend())
            {
                yield break;
            }

            yield return _firstParents[i];
        }

        bool Extend()
        {
            if (_firstParentsNext is not { } commit)
            {
                return false;
            }

            try
            {
                _firstParents.Add((commit.Sha, commit.Committer.When));
                _firstParentsNext = commit.Parents.FirstOrDefault();
                return true;
            }
            catch (LibGit2SharpException ex)
            {
                // A shallow clone ends early: the chain known so far is the answer.
                LogUnavailable(_logger, _path, headSha, ex.Message);
                _firstParentsNext = null;
                return false;
            }
        }
    }

    [LoggerMessage(EventId = 4105, Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Line facts at {Sha} in {Path} unavailable (missing objects?): {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string path, string sha, string reason);
}
