using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using LibGit2Sharp;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Attribution.Git;

/// <summary>
/// Reads history from a local clone (bare or not) with LibGit2Sharp: the one place in the product that does.
/// Every method opens the repository, does its work and closes it, so callers never hold native handles.
/// </summary>
public sealed partial class GitHistoryReader(ILogger<GitHistoryReader> logger)
{
    private static readonly CompareOptions DiffOptions = new()
    {
        ContextLines = 0,
        InterhunkLines = 0,
        Similarity = SimilarityOptions.Renames,
        IncludeUnmodified = false,
    };

    /// <summary>True when <paramref name="path"/> is a git repository (work tree or bare).</summary>
    public static bool IsRepository(string path) => Directory.Exists(path) && Repository.IsValid(path);

    /// <summary>
    /// The default branch: what <c>origin/HEAD</c> names, else <c>main</c> or <c>master</c> when present, else the
    /// branch HEAD points at (a work tree may be checked out on a feature branch, so HEAD comes last).
    /// </summary>
    public static string? DefaultBranch(string path)
    {
        using var repo = new Repository(path);
        if (repo.Refs["refs/remotes/origin/HEAD"] is SymbolicReference remoteHead
            && remoteHead.TargetIdentifier.StartsWith("refs/remotes/origin/", StringComparison.Ordinal))
        {
            return remoteHead.TargetIdentifier["refs/remotes/origin/".Length..];
        }

        foreach (var name in new[] { "main", "master" })
        {
            if (repo.Refs[$"refs/heads/{name}"] is not null || repo.Refs[$"refs/remotes/origin/{name}"] is not null)
            {
                return name;
            }
        }

        var head = repo.Refs.Head;
        return head is SymbolicReference symbolic && symbolic.TargetIdentifier.StartsWith("refs/heads/", StringComparison.Ordinal)
            ? symbolic.TargetIdentifier["refs/heads/".Length..]
            : null;
    }

    /// <summary>
    /// Commit tips of every ref: sha → short branch names pointing there (tags and notes give a tip with no name).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Tips(string path)
    {
        using var repo = new Repository(path);
        return ReadTips(repo);
    }

    private static Dictionary<string, IReadOnlyList<string>> ReadTips(Repository repo)
    {
        var tips = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var reference in repo.Refs)
        {
            if (reference.CanonicalName.EndsWith("/HEAD", StringComparison.Ordinal) || IsMetadataRef(reference.CanonicalName))
            {
                continue;
            }

            string? sha;
            try
            {
                sha = BranchTip(repo, reference) ?? reference.ResolveToDirectReference()?.Target?.Peel<Commit>()?.Sha;
            }
            catch (LibGit2SharpException)
            {
                continue;
            }

            if (sha is null)
            {
                continue;
            }

            if (!tips.TryGetValue(sha, out var names))
            {
                tips[sha] = names = [];
            }

            var name = BranchName(reference.CanonicalName);
            if (name is not null && !names.Contains(name))
            {
                names.Add(name);
            }
        }

        return tips.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// The commit a local or remote-tracking branch points at, without reading it: git writes only commits there (a
    /// scan of 2,000 branches read each tip object for nothing). Null for other refs (a tag may name a tag object) and
    /// for a tip missing from the clone, which are peeled as before.
    /// </summary>
    private static string? BranchTip(Repository repo, Reference reference) =>
        (reference.CanonicalName.StartsWith("refs/heads/", StringComparison.Ordinal) || reference.CanonicalName.StartsWith("refs/remotes/", StringComparison.Ordinal))
        && reference is DirectReference direct && direct.TargetIdentifier is { Length: 40 } target && repo.ObjectDatabase.Contains(new ObjectId(target))
            ? target
            : null;

    /// <summary>
    /// Paths a commit changes against its first parent, read from trees alone (no blob is loaded): what a clone that
    /// lacks some blobs can still tell. Empty for a merge (as <c>git log --name-only</c>); null when a tree is missing.
    /// </summary>
    public static IReadOnlyList<string>? ChangedPathsFromTrees(string path, string sha)
    {
        try
        {
            using var repo = new Repository(path);
            var commit = repo.Lookup<Commit>(sha);
            if (commit is null)
            {
                return null;
            }

            var parents = commit.Parents.ToList();
            if (parents.Count > 1)
            {
                return [];
            }

            var changes = repo.Diff.Compare<TreeChanges>(parents.Count == 0 ? null : parents[0].Tree, commit.Tree, new CompareOptions { Similarity = SimilarityOptions.None });
            return changes.Select(c => c.Path).Concat(changes.Where(c => c.OldPath != c.Path).Select(c => c.OldPath)).Distinct(StringComparer.Ordinal).ToList();
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }

    /// <summary>
    /// Refs where tools keep metadata, not work (issue 16): Entire's checkpoint branch (<c>entire/checkpoints/*</c>
    /// under heads or a remote, or <c>refs/entire/...</c>), notes (<c>refs/notes/*</c>) and GitHub's test merges
    /// (<c>refs/pull/N/merge</c>). Commits reachable only from them are not read as commits at all: they are no
    /// session's output, and the product never links or shows them.
    /// </summary>
    public static bool IsMetadataRef(string canonical)
    {
        if (canonical.StartsWith("refs/notes/", StringComparison.Ordinal) || canonical.StartsWith("refs/entire/", StringComparison.Ordinal))
        {
            return true;
        }

        if (canonical.StartsWith("refs/pull/", StringComparison.Ordinal) && canonical.EndsWith("/merge", StringComparison.Ordinal))
        {
            return true;
        }

        return BranchName(canonical) is { } branch && branch.StartsWith("entire/checkpoints/", StringComparison.Ordinal);
    }

    private static string? BranchName(string canonical)
    {
        if (canonical.StartsWith("refs/heads/", StringComparison.Ordinal))
        {
            return canonical["refs/heads/".Length..];
        }

        if (canonical.StartsWith("refs/remotes/", StringComparison.Ordinal))
        {
            var rest = canonical["refs/remotes/".Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            return slash < 0 ? null : rest[(slash + 1)..];
        }

        return null;
    }

    /// <summary>
    /// Walks every commit reachable from <paramref name="tips"/> and not from <paramref name="knownTips"/>
    /// (commits read before), newest first. Commits older than <paramref name="since"/> are passed over.
    /// Missing objects (shallow or partial clones) are skipped with a warning.
    /// </summary>
    /// <remarks>
    /// The walk runs on the caller's thread; commits are read and diffed in chunks by up to
    /// <see cref="MaxWorkers"/> workers, each with its own <see cref="Repository"/> (a libgit2 repository is not
    /// shared across threads), and come back in walk order.
    /// </remarks>
    public IEnumerable<GitCommitData> ReadCommits(
        string path,
        IEnumerable<string> tips,
        IEnumerable<string> knownTips,
        DateTimeOffset? since,
        CancellationToken cancellationToken)
    {
        SkipHashVerification();
        var tipList = tips.ToList();
        var knownList = knownTips.ToList();
        var listed = UseGitCommand ? GitLogReader.List(path, tipList, knownList, cancellationToken) : null;
        var commits = listed is null
            ? ReadCommitsWithLibGit2(path, tipList, knownList, since, cancellationToken)
            : ReadCommitsWithGit(path, listed, since, cancellationToken);
        foreach (var commit in commits)
        {
            yield return commit;
        }
    }

    /// <summary>
    /// Read commits through <c>git log</c> (<see cref="GitLogReader"/>) when git can be run, LibGit2Sharp otherwise. The
    /// stored rows are the same either way (tests compare both readers); off, every read goes through LibGit2Sharp.
    /// </summary>
    public bool UseGitCommand { get; init; } = true;

    private IEnumerable<GitCommitData> ReadCommitsWithGit(string path, List<string> shas, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        using var fallback = new DiffWorker(path);
        var stopped = new StrongBox<bool>();
        IReadOnlySet<string> skip = new HashSet<string>();
        var scanned = false;
        var next = 0;
        while (next < shas.Count)
        {
            foreach (var data in GitLogReader.Read(path, shas, next, skip, stopped, cancellationToken))
            {
                // A commit in another encoding is read by libgit2, as before (git would re-encode its message); so is one
                // where renames could be paired: git and libgit2 measure similarity differently (a 21-line file with 4
                // lines changed is a rename to libgit2 and an add plus a delete to git), and the stored rows must not move.
                var commit = data is null || MayPairRenames(data) ? ReadCommit(fallback.Next(), new ObjectId(shas[next]), path) : data;
                next++;
                if (since is null || commit.CommitterTs >= since.Value)
                {
                    yield return commit;
                }
            }

            if (!stopped.Value)
            {
                yield break;
            }

            // git stopped at this commit: missing objects (read here as before: kept without files) or git itself failing.
            var failed = ReadCommit(fallback.Next(), new ObjectId(shas[next]), path);
            next++;
            if (since is null || failed.CommitterTs >= since.Value)
            {
                yield return failed;
            }

            if (!scanned)
            {
                // The first stop: when it is a missing blob, the others are found now and go to libgit2 without a restart
                // of git at each. (git checks blobs for rename detection before it prints a commit, so the commit it
                // stopped at may be the one before the missing blob's, read completely here.)
                scanned = true;
                var missing = GitLogReader.CommitsMissingBlobs(path, shas, next, cancellationToken);
                if (missing is { Count: > 0 })
                {
                    skip = missing;
                    continue;
                }
            }

            if (failed.FilesComplete)
            {
                // Nothing was missing, so git cannot do this here (too old for --diff-merges?): libgit2 reads the rest.
                LogGitUnusable(logger, path, failed.Sha);
                var workers = new DiffWorker[Math.Clamp(Environment.ProcessorCount, 1, MaxWorkers)];
                try
                {
                    for (var from = next; from < shas.Count; from += ChunkSize)
                    {
                        var chunk = shas.Skip(from).Take(ChunkSize).Select(s => new ObjectId(s)).ToList();
                        foreach (var commit in ReadChunk(workers, chunk, path, cancellationToken))
                        {
                            if (since is null || commit.CommitterTs >= since.Value)
                            {
                                yield return commit;
                            }
                        }
                    }
                }
                finally
                {
                    foreach (var worker in workers)
                    {
                        worker?.Dispose();
                    }
                }

                yield break;
            }
        }
    }

    private static bool MayPairRenames(GitCommitData commit)
    {
        bool added = false, deleted = false;
        foreach (var file in commit.Files)
        {
            switch (file.Status)
            {
                case "renamed":
                    return true;
                case "added":
                    added = true;
                    break;
                case "deleted":
                    deleted = true;
                    break;
            }
        }

        return added && deleted;
    }

    private IEnumerable<GitCommitData> ReadCommitsWithLibGit2(
        string path,
        IEnumerable<string> tips,
        IEnumerable<string> knownTips,
        DateTimeOffset? since,
        CancellationToken cancellationToken)
    {
        using var repo = new Repository(path);
        var include = tips.Select(t => repo.Lookup<Commit>(t)).Where(c => c is not null).ToList();
        if (include.Count == 0)
        {
            yield break;
        }

        var exclude = knownTips.Select(SafeLookup).Where(c => c is not null).ToList();
        var filter = new CommitFilter
        {
            IncludeReachableFrom = include,
            ExcludeReachableFrom = exclude,
            SortBy = CommitSortStrategies.Time,
        };

        var workers = new DiffWorker[Math.Clamp(Environment.ProcessorCount, 1, MaxWorkers)];
        try
        {
            var chunk = new List<ObjectId>(ChunkSize);
            using var walk = repo.Commits.QueryBy(filter).GetEnumerator();
            var more = true;
            while (more)
            {
                cancellationToken.ThrowIfCancellationRequested();
                chunk.Clear();
                while (chunk.Count < ChunkSize && (more = Next(walk, path, out var commit)))
                {
                    if (since is null || commit!.Committer.When >= since.Value)
                    {
                        chunk.Add(commit!.Id);
                    }
                }

                foreach (var data in ReadChunk(workers, chunk, path, cancellationToken))
                {
                    yield return data;
                }
            }
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker?.Dispose();
            }
        }

        Commit? SafeLookup(string sha)
        {
            try
            {
                return repo.Lookup<Commit>(sha);
            }
            catch (LibGit2SharpException)
            {
                return null;
            }
        }
    }

    private static int _hashVerificationOff;

    // libgit2 re-hashes every object it reads (SHA-1 with collision detection: ≈ 8 % of a scan's CPU); git itself
    // does not on reads (only fsck does), and pack data stays checked by zlib. Process-wide, set once.
    private static void SkipHashVerification()
    {
        if (Interlocked.Exchange(ref _hashVerificationOff, 1) == 0)
        {
            GlobalSettings.SetStrictHashVerification(false);
        }
    }

    /// <summary>Readers working in parallel on one scan (each holds its own repository and object cache).</summary>
    public const int MaxWorkers = 2;

    // Commits handed to the workers at a time: large enough to keep them busy, small enough to stream.
    private const int ChunkSize = 256;

    private bool Next(IEnumerator<Commit> walk, string path, out Commit? commit)
    {
        try
        {
            if (walk.MoveNext())
            {
                commit = walk.Current;
                return true;
            }
        }
        catch (LibGit2SharpException ex)
        {
            LogWalkStopped(logger, path, ex.Message);
        }

        commit = null;
        return false;
    }

    private GitCommitData[] ReadChunk(DiffWorker[] workers, List<ObjectId> ids, string path, CancellationToken cancellationToken)
    {
        var results = new GitCommitData[ids.Count];
        var count = Math.Min(workers.Length, Math.Max(1, ids.Count / 16));
        for (var w = 0; w < count; w++)
        {
            workers[w] ??= new DiffWorker(path);
        }

        // Contiguous shares: a commit's parent is usually the next one in the walk, so its trees are already in the
        // same worker's cache (interleaving would make both workers parse every tree).
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = count }, w =>
            {
                for (var i = w * ids.Count / count; i < (w + 1) * ids.Count / count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    results[i] = ReadCommit(workers[w].Next(), ids[i], path);
                }
            });
        }
        catch (AggregateException ex)
        {
            // Callers see what a single-threaded read would have thrown (cancellation, a libgit2 error), not a wrapper.
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }

        return results;
    }

    private GitCommitData ReadCommit(Repository repo, ObjectId id, string path)
    {
        var commit = repo.Lookup<Commit>(id);
        var parents = new List<string>();
        Commit? first = null;
        try
        {
            foreach (var parent in commit.Parents)
            {
                first ??= parent;
                parents.Add(parent.Sha);
            }
        }
        catch (LibGit2SharpException ex)
        {
            LogMissingObject(logger, path, commit.Sha, ex.Message);
        }

        var files = new List<GitFileChange>();
        var complete = true;
        var collided = false;
        try
        {
            foreach (var entry in ChangedPaths.Diff(repo, first?.Tree, commit.Tree, DiffOptions))
            {
                var status = entry.Status switch
                {
                    ChangeKind.Added or ChangeKind.Copied => "added",
                    ChangeKind.Deleted => "deleted",
                    ChangeKind.Renamed => "renamed",
                    _ => "modified",
                };
                if (entry.Status is ChangeKind.Unmodified or ChangeKind.Ignored or ChangeKind.Untracked)
                {
                    continue;
                }

                files.Add(new GitFileChange(entry.Path, status, status == "renamed" ? entry.OldPath : null, entry.LinesAdded, entry.LinesDeleted));
            }
        }
        catch (LibGit2SharpException ex)
        {
            LogMissingObject(logger, path, commit.Sha, ex.Message);
            files.Clear();
            complete = false;
        }
        catch (ArgumentException)
        {
            // LibGit2Sharp keys a diff by decoded path: two names that differ only in bytes that are not UTF-8 collide.
            collided = true;
        }

        if (complete && (collided || files.Any(f => GitPathText.MayBeLossy(f.Path) || GitPathText.MayBeLossy(f.OldPath))))
        {
            (files, complete) = ReadPathBytes(path, first?.Sha, commit.Sha, files);
        }

        return new GitCommitData(
            commit.Sha,
            parents,
            commit.Author.Name,
            commit.Author.Email,
            commit.Author.When.ToUniversalTime(),
            commit.Committer.Name,
            commit.Committer.Email,
            commit.Committer.When.ToUniversalTime(),
            commit.Message ?? string.Empty,
            files,
            complete);
    }

    /// <summary>
    /// The changes of a commit whose paths LibGit2Sharp could not decode, read again from git with their bytes kept. When git
    /// cannot be run, the decoded paths are kept once each and the commit's file list is marked incomplete.
    /// </summary>
    private (List<GitFileChange> Files, bool Complete) ReadPathBytes(string path, string? parentSha, string sha, List<GitFileChange> decoded)
    {
        var exact = GitPathText.ReadChanges(path, parentSha, sha, TimeSpan.FromMinutes(1));
        if (exact is not null)
        {
            return (exact, true);
        }

        LogUndecodablePaths(logger, path, sha);
        var kept = decoded.DistinctBy(f => f.Path, StringComparer.Ordinal).ToList();
        return (kept, false);
    }

    /// <summary>
    /// Opens the clone once for reading added lines of many candidate commits (link time); dispose when done.
    /// </summary>
    public AddedLinesReader OpenAddedLines(string path)
    {
        SkipHashVerification();
        return new(path, logger);
    }

    /// <summary>
    /// Commits reachable from <paramref name="headSha"/> and not from any of <paramref name="excludeRevs"/>
    /// (shas or branch names); null when the head is not in the clone. At most <paramref name="limit"/> commits.
    /// </summary>
    public IReadOnlyList<string>? ReadRange(string path, string headSha, IEnumerable<string> excludeRevs, int limit)
    {
        try
        {
            using var repo = new Repository(path);
            var head = repo.Lookup<Commit>(headSha);
            if (head is null)
            {
                return null;
            }

            var exclude = new List<Commit>();
            foreach (var rev in excludeRevs)
            {
                var commit = ResolveRev(repo, rev);
                if (commit is not null && commit.Sha != head.Sha)
                {
                    exclude.Add(commit);
                }
            }

            // An unresolvable base would turn the range into the whole history: no answer rather than a wrong one.
            if (exclude.Count == 0)
            {
                return null;
            }

            var filter = new CommitFilter { IncludeReachableFrom = head, ExcludeReachableFrom = exclude, SortBy = CommitSortStrategies.Topological };
            return repo.Commits.QueryBy(filter).Take(limit).Select(c => c.Sha).ToList();
        }
        catch (LibGit2SharpException ex)
        {
            LogMissingObject(logger, path, headSha, ex.Message);
            return null;
        }
    }

    /// <summary>The first parent of a commit, or null.</summary>
    public string? FirstParent(string path, string sha)
    {
        try
        {
            using var repo = new Repository(path);
            return repo.Lookup<Commit>(sha)?.Parents.FirstOrDefault()?.Sha;
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }

    private static Commit? ResolveRev(Repository repo, string rev)
    {
        if (rev.Length == 40 && rev.All(Uri.IsHexDigit))
        {
            return repo.Lookup<Commit>(rev);
        }

        foreach (var candidate in new[] { $"refs/heads/{rev}", $"refs/remotes/origin/{rev}" })
        {
            var reference = repo.Refs[candidate];
            if (reference?.ResolveToDirectReference()?.Target?.Peel<Commit>() is { } commit)
            {
                return commit;
            }
        }

        return repo.Branches.FirstOrDefault(b => b.IsRemote && b.FriendlyName.EndsWith("/" + rev, StringComparison.Ordinal))?.Tip;
    }

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "Git history of {Path}: git log failed at {Sha} with no object missing; the rest is read with libgit2")]
    private static partial void LogGitUnusable(ILogger logger, string path, string sha);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Git history of {Path}: paths of {Sha} are not UTF-8 and git could not be run to read their bytes; its file list is incomplete")]
    private static partial void LogUndecodablePaths(ILogger logger, string path, string sha);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Git history of {Path}: object missing at {Sha} (shallow or partial clone?), skipped: {Reason}")]
    private static partial void LogMissingObject(ILogger logger, string path, string sha, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Git history walk of {Path} stopped at a missing object: {Reason}")]
    private static partial void LogWalkStopped(ILogger logger, string path, string reason);
}
