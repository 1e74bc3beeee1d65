using Attribution.Ingest;
using System.Diagnostics;
using Attribution.Git;
using Attribution.Operations;
using Prometheus;
using Attribution.Store;
using Microsoft.Extensions.Options;
using Attribution.Common;
using System.Globalization;

namespace Attribution.Linking;

/// <summary>
/// One attribution pass: rescan registered clones (incremental), link sessions to commits, commits and
/// sessions to PRs, and recompute downstream touches. Idempotent: links and touches are upserted and
/// vanished ones removed, so running it twice changes nothing the second time.
/// </summary>
public sealed partial class AttributionBackfill(
    GitIngestService gitIngest,
    GitHistoryReader reader,
    RepositoryStore repositories,
    LinkingInputStore inputs,
    CursorStore cursors,
    LinkStore links,
    DownstreamStore downstream,
    IAgentsAttributionVerifier verifier,
    IOptions<LinkingOptions> options,
    TimeProvider time,
    ILogger<AttributionBackfill> logger,
    RecordedStore? recordedSources = null)
{
    /// <summary>Bumped when the rubric changes, so the next pass relinks repositories whose inputs did not change.</summary>
    public const int RubricVersion = 2;

    /// <summary>Cursor source under which each repository's input fingerprint of the last pass is kept.</summary>
    public const string FingerprintSource = "attribution";

    /// <summary>The start of "all history" (a plain date both providers store and compare).</summary>
    public static readonly DateTimeOffset AllHistory = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly SemaphoreSlim _gate = new(1, 1);

    // Added lines by commit, kept from pass to pass (passes never overlap: see _gate).
    private readonly Dictionary<(string Slug, string Sha), IReadOnlyDictionary<string, IReadOnlyList<string>>?> _addedLines = [];
    private const int AddedLinesKept = 5_000;

    // Commits an incremental pass read for downstream work (tens of thousands: every later commit of the files older work
    // follows), kept from pass to pass per repository like the diffs above. A commit's row changes only when it is written
    // again, which makes it new to the next pass: those are forgotten when a pass starts, and a whole pass forgets all.
    private readonly Dictionary<(string Slug, string Sha), LinkCommit> _commits = [];
    private const int CommitsKept = 200_000;

    private static string Settings(LinkingOptions o) => FormattableString.Invariant(
        $"{o.TouchWindowHours}/{o.TextWindowDays}/{o.ActiveGraceMinutes}/{o.DownstreamWindowDays}/{o.Threshold}/{RubricVersion}");

    /// <summary>Runs a pass over one repository or all; <paramref name="since"/> bounds the sessions and targets looked at.</summary>
    public async Task<BackfillResult> RunAsync(string? repoSlug, TimeSpan? since, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        // Background and manual passes never overlap.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var timer = AttributionMetrics.AttributionDuration.NewTimer();
            var stopwatch = Stopwatch.StartNew();
            var settings = options.Value;
            var window = since ?? (settings.DefaultSinceDays is { } days ? TimeSpan.FromDays(days) : null);
            var sinceTs = window is { } w ? time.GetUtcNow() - w : AllHistory;
            var filter = repoSlug is null ? null : RepoSlug.Normalize(repoSlug);
            var total = new BackfillResult();

            var registered = (await repositories.ListAsync(cancellationToken)).Where(r => filter is null || r.Slug == filter).ToList();
            var clones = new Dictionary<string, RegisteredRepository>(StringComparer.Ordinal);
            foreach (var repo in registered)
            {
                if (repo.ClonePath is null)
                {
                    continue;
                }

                if (!GitHistoryReader.IsRepository(repo.ClonePath))
                {
                    LogCloneMissing(logger, repo.Slug, repo.ClonePath);
                    total = total with { Warnings = total.Warnings + 1 };
                    continue;
                }

                clones[repo.Slug] = repo;
                progress?.Report($"scanning {repo.Slug}");
                try
                {
                    var scanning = Stopwatch.StartNew();
                    var scan = await gitIngest.IngestAsync(repo.Slug, repo.ClonePath, null, null, cancellationToken);
                    total = total with { CommitsRead = total.CommitsRead + scan.CommitsRead, Warnings = total.Warnings + scan.Warnings };
                    LogScan(logger, repo.Slug, scan.CommitsRead, (long)scanning.Elapsed.TotalMilliseconds);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One repository's failure (a libgit2 error, a hostile commit, a store error) never stops another's pass.
                    LogScanFailed(logger, repo.Slug, ex.Message);
                    total = total with { Warnings = total.Warnings + 1 };
                }
            }

            var slugs = filter is not null ? [filter] : await inputs.RepoSlugsAsync(cancellationToken);
            foreach (var slug in slugs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report($"linking {slug}");
                var clone = clones.GetValueOrDefault(slug);

                // Nothing the links depend on changed since the last pass over the same period: skip.
                var scope = $"{slug}@{sinceTs:yyyy-MM-dd}";
                var seen = await inputs.FingerprintRowAsync(slug, cancellationToken);
                var before = seen.Text + "|" + Settings(settings);
                if (await cursors.GetAsync(FingerprintSource, slug, cancellationToken) == scope + "|" + before)
                {
                    total = total with { Repositories = total.Repositories + 1, Unchanged = total.Unchanged + 1 };
                    continue;
                }

                try
                {
                    var passedAt = time.GetUtcNow();
                    var phase = Stopwatch.StartNew();
                    var prs = await inputs.PullRequestsAsync(slug, cancellationToken);
                    var markScope = scope + "|" + Settings(settings);
                    var increment = await PlanIncrementalAsync(slug, markScope, seen, prs, cancellationToken);
                    LogPlanned(logger, slug, increment is not null, (long)phase.Elapsed.TotalMilliseconds);
                    ForgetCommits(slug, increment?.NewCommits);
                    var result = increment is null
                        ? new BackfillResult { PrCommitsAdded = await AddPrMembersAsync(slug, clone, prs, cancellationToken) }
                        : new BackfillResult { Incremental = 1 };

                    // What this pass links from: read again once its own PR members are written, so they are not news to the next pass.
                    var mark = result.PrCommitsAdded > 0 ? await inputs.FingerprintRowAsync(slug, cancellationToken) : seen;

                    // PRs and their members stay as read from here on: this pass writes neither.
                    var prCommits = await inputs.PrCommitsAsync(slug, cancellationToken);
                    var (linked, changed, linkWindow) = await LinkCommitsAsync(slug, clone?.ClonePath, sinceTs, prs, prCommits, increment, cancellationToken);
                    result = result.Add(linked);
                    result = result.Add(await LinkPullRequestsAsync(slug, clone, increment is null ? prs : PrsReached(prs, prCommits, changed, increment), prCommits, cancellationToken));
                    result = result with { LinkElapsed = phase.Elapsed };
                    phase.Restart();
                    var (downstreamResult, head) = await DownstreamAsync(slug, clone?.ClonePath, sinceTs, prs, prCommits, increment, changed, linkWindow, cancellationToken);
                    result = result.Add(downstreamResult) with { DownstreamElapsed = phase.Elapsed };
                    total = total.Add(result) with { Repositories = total.Repositories + 1 };

                    // Line targets left for later: no fingerprint and no mark, so the next pass comes back for them whole. The
                    // fingerprint is of the inputs this pass read: a row written meanwhile makes the next pass differ.
                    if (result.LineTargetsDeferred == 0)
                    {
                        await cursors.SetAsync(FingerprintSource, slug, scope + "|" + mark.Text + "|" + Settings(settings), cancellationToken);
                        await cursors.SetAsync(PassMark.Source, slug, new PassMark(markScope, mark, passedAt, head).ToJson(), cancellationToken);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The fingerprint is not stored, so the next pass tries this repository again.
                    LogLinkFailed(logger, slug, ex.GetType().Name + ": " + ex.Message);
                    total = total with { Warnings = total.Warnings + 1 };
                }
            }

            if (filter is null)
            {
                total = total.Add(await LinkSessionsWithoutRepoAsync(sinceTs, cancellationToken));
            }

            if (window is not null)
            {
                total = total with { SessionsLeftOut = await inputs.SessionsBeforeAsync(filter, sinceTs, cancellationToken), Since = sinceTs };
            }

            total = total with { Elapsed = stopwatch.Elapsed };
            LogPass(logger, total.Repositories, total.CommitsRead, total.CommitLinks, total.StrongCommitLinks, total.PrLinks, total.DownstreamTouches, (long)total.Elapsed.TotalMilliseconds);
            return total;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Links the sessions of the period to commits. Incremental (<paramref name="increment"/>): only pairs whose commit was
    /// written from <see cref="IncrementalScope.LinkFrom"/> on are scored and replaced, with every session active within
    /// <see cref="LinkPass.Reach"/> before that and the commits from then on. Returns the counts and the commits whose links changed.
    /// </summary>
    private async Task<(BackfillResult Result, IReadOnlySet<string> Changed, CommitWindow? Window)> LinkCommitsAsync(
        string slug, string? clonePath, DateTimeOffset since, IReadOnlyList<LinkPullRequest> prs, IReadOnlyList<LinkPrCommit> prCommits, IncrementalScope? increment,
        CancellationToken cancellationToken)
    {
        var reading = Stopwatch.StartNew();

        // A squash commit's authored link reaches back 30 days (its listed subjects); other pairs, the text window.
        var squashes = increment is not null && (await inputs.CommitsAsync(slug, increment.LinkFrom, cancellationToken)).Any(LinkPass.ListsSquashedSubjects);
        var activeFrom = increment is null ? since : Later(since, increment.LinkFrom - LinkPass.Reach(options.Value, squashes));
        var sessions = increment is null
            ? await inputs.SessionsAsync(slug, since, cancellationToken)
            : await inputs.SessionsActiveSinceAsync(slug, since, activeFrom, cancellationToken);

        // A verified signed trailer names its session whatever repository that session was ingested for: the contract
        // (§6, §7) binds the metadata to the commit's repository and this instance, not the session's home repository.
        var signedElsewhere = await SignedSessionsElsewhereAsync(slug, activeFrom, sessions, cancellationToken);
        if (sessions.Count == 0 && signedElsewhere.Count == 0)
        {
            return (new BackfillResult(), new HashSet<string>(StringComparer.Ordinal), null);
        }

        var events = increment is null
            ? await inputs.EventsAsync(slug, since, cancellationToken)
            : await inputs.EventsOfAsync(sessions.Select(s => s.SessionId).ToList(), cancellationToken);
        var earliest = sessions.Concat(signedElsewhere).Select(s => s.StartedTs).Concat(events.Select(e => (DateTimeOffset?)e.Ts)).Where(t => t is not null)
            .DefaultIfEmpty(since).Min()!.Value;
        var from = earliest > DateTimeOffset.MinValue.AddMinutes(1) ? earliest - TimeSpan.FromMinutes(1) : DateTimeOffset.MinValue;
        if (increment is not null)
        {
            from = Later(from, activeFrom);
        }

        var commits = await inputs.CommitsAsync(slug, from, cancellationToken);
        var files = await inputs.CommitFilesAsync(slug, from, cancellationToken);
        var window = new CommitWindow(from, commits, files);
        var read = reading.Elapsed;
        var clock = Stopwatch.StartNew();

        var authored = new List<AuthoredHit>();
        var unresolved = new List<LinkSessionEvent>();
        var resolved = new Dictionary<string, IReadOnlyList<(string RepoSlug, string Sha)>>(StringComparer.Ordinal);
        foreach (var e in events.Where(e => e.Kind == SessionEventKinds.Commit && !string.IsNullOrWhiteSpace(e.Sha) && e.IsError == 0))
        {
            var prefix = e.Sha!.Trim().ToLowerInvariant();
            if (!resolved.TryGetValue(prefix, out var matches))
            {
                resolved[prefix] = matches = await inputs.ResolveShaAsync(slug, prefix, cancellationToken);
            }

            // Exactly one commit: an abbreviation naming several, or none (rewritten since), gives no authored link.
            if (matches.Count == 1)
            {
                authored.Add(new AuthoredHit(e.SessionId, matches[0].Sha, prefix, e.Ts, e.Command, e.OutputExcerpt));
            }
            else if (matches.Count == 0)
            {
                unresolved.Add(e);
            }
        }

        using var diffReader = clonePath is null ? null : reader.OpenAddedLines(clonePath);
        IReadOnlyDictionary<string, IReadOnlyList<string>>? AddedLines(string sha)
        {
            // A commit's added lines never change: kept across passes (the background pass rescoring recent commits reads
            // the same diffs again and again), bounded, per repository.
            if (diffReader is null)
            {
                return null;
            }

            if (_addedLines.TryGetValue((slug, sha), out var known))
            {
                return known;
            }

            if (_addedLines.Count >= AddedLinesKept)
            {
                _addedLines.Clear();
            }

            return _addedLines[(slug, sha)] = diffReader.Read(sha);
        }

        var resolving = clock.Elapsed;
        var linker = new CommitLinker(options.Value);
        var paths = await inputs.PathsAsync(slug, cancellationToken);
        var pathsRead = clock.Elapsed;
        var linkScope = increment is null ? null : new CommitLinker.LinkScope(increment.CommitsFrom, increment.ChangedSessions, increment.LinkedBefore);
        var found = linker.Link(slug, sessions, events, commits, files, authored, AddedLines, value => verifier.Verify(slug, value), unresolved, paths,
            signedElsewhere.Select(s => s.SessionId).ToHashSet(StringComparer.Ordinal), linkScope);
        var scored = clock.Elapsed;
        Func<string, string, bool>? inScope = linkScope is null ? null : (sha, _) => linkScope.Scored.Contains(sha);
        if (prs.Count > 0)
        {
            // A squash commit inherits its PR's commits' links: those outside the increment are read as stored.
            var ownLinks = inScope is null ? found
                : [.. found.Where(l => inScope(l.CommitSha, l.SessionId)), .. await StoredMembersLinksAsync(slug, prs, prCommits, inScope, cancellationToken)];
            found = SquashInheritance.Apply(ownLinks, prs, prCommits, commits, options.Value.Threshold);
        }

        var ids = sessions.Concat(signedElsewhere).Select(s => s.SessionId).ToList();
        if (recordedSources is not null)
        {
            found = await WithRecordedAsync(slug, clonePath, found, ids, files, inScope, cancellationToken);
        }

        if (increment is not null)
        {
            // Only sessions with a recomputed pair, found now or stored, have links to compare.
            var recomputed = linkScope!.Scored.ToList();
            var holders = (await links.CommitLinksOfCommitsAsync(slug, recomputed, cancellationToken)).Select(l => l.SessionId)
                .Concat(found.Where(l => inScope!(l.CommitSha, l.SessionId)).Select(l => l.SessionId)).ToHashSet(StringComparer.Ordinal);
            ids = ids.Where(holders.Contains).ToList();
        }

        var (linksWritten, removed, changed) = await links.ReplaceCommitLinksAsync(slug, ids, found, cancellationToken, inScope);
        LogLinkSteps(logger, slug, sessions.Count, events.Count, commits.Count, files.Count, (long)read.TotalMilliseconds, (long)resolving.TotalMilliseconds, (long)(pathsRead - resolving).TotalMilliseconds,
            (long)(scored - pathsRead).TotalMilliseconds, (long)(clock.Elapsed - scored).TotalMilliseconds);
        return (new BackfillResult
        {
            Sessions = sessions.Count,
            CommitLinks = found.Count(l => inScope is null || inScope(l.CommitSha, l.SessionId)),
            StrongCommitLinks = found.Count(l => l.Confidence >= options.Value.Threshold && (inScope is null || inScope(l.CommitSha, l.SessionId))),
            CommitLinksWritten = linksWritten,
            CommitLinksRemoved = removed,
        }, changed, window);
    }

    /// <summary>
    /// The stored links of merged PRs' member commits that an incremental pass does not recompute, for PRs whose squash
    /// commit it does: what <see cref="SquashInheritance"/> needs to see of the work outside the increment.
    /// </summary>
    private async Task<IReadOnlyList<CommitSessionLink>> StoredMembersLinksAsync(
        string slug, IReadOnlyList<LinkPullRequest> prs, IReadOnlyList<LinkPrCommit> prCommits, Func<string, string, bool> inScope, CancellationToken cancellationToken)
    {
        var squashes = prs.Where(p => p.State == "merged" && p.MergeCommitSha is { } m && inScope(m, "")).ToList();
        if (squashes.Count == 0)
        {
            return [];
        }

        var keys = squashes.Select(p => (p.Provider, p.PrNumber)).ToHashSet();
        var members = prCommits.Where(c => keys.Contains((c.Provider, c.PrNumber))).Select(c => c.Sha)
            .Where(sha => !inScope(sha, "")).ToHashSet(StringComparer.Ordinal);
        return (await links.CommitLinksOfCommitsAsync(slug, members, cancellationToken, withEvidence: true))
            .Select(l => new CommitSessionLink(l.CommitSha, slug, l.SessionId, l.LinkType, l.Confidence, l.EvidenceJson))
            .ToList();
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>
    /// The rubric's links with what source tools recorded laid over them (<see cref="RecordedLinker"/>). Recorded links of
    /// sessions outside this pass's window are written here, without touching those sessions' other links.
    /// </summary>
    private async Task<IReadOnlyList<CommitSessionLink>> WithRecordedAsync(
        string slug, string? clonePath, IReadOnlyList<CommitSessionLink> found, IReadOnlyList<string> sessionIds, IReadOnlyList<LinkCommitFile> files,
        Func<string, string, bool>? inScope, CancellationToken cancellationToken)
    {
        var recorded = await recordedSources!.SessionsAsync(slug, cancellationToken);
        if (recorded.Count == 0)
        {
            return found;
        }

        var checkpoints = RecordedLinker.CheckpointCommits(await recordedSources.CommitsMentioningAsync(slug, RecordedLinker.CheckpointTrailer, cancellationToken));
        var byCommit = files.GroupBy(f => f.Sha, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyCollection<string>)g.Select(f => f.Path).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var needed = recorded.SelectMany(r => r.Source == RecordedStore.Entire ? checkpoints.GetValueOrDefault(r.RecordKey)?.Select(c => c.Sha) ?? [] : [r.RecordKey]).Distinct(StringComparer.Ordinal);
        foreach (var sha in needed.ToList())
        {
            var known = await recordedSources.CommitFilesKnownAsync(slug, sha, cancellationToken);
            if (known is null)
            {
                byCommit.Remove(sha);
                continue;
            }

            // A clone lacking some blobs stores no file list for the commit; its trees still name the paths it changed.
            if (known == false && clonePath is not null && GitHistoryReader.ChangedPathsFromTrees(clonePath, sha) is { } paths)
            {
                byCommit[sha] = paths.ToHashSet(StringComparer.Ordinal);
            }
            else if (!byCommit.ContainsKey(sha))
            {
                byCommit[sha] = (await recordedSources.CommitFilesAsync(slug, sha, cancellationToken)).ToHashSet(StringComparer.Ordinal);
            }
        }

        var merged = RecordedLinker.Merge(slug, found, recorded, checkpoints, sha => byCommit.GetValueOrDefault(sha));
        var inPass = sessionIds.ToHashSet(StringComparer.Ordinal);
        // An incremental pass writes only the recorded links of the pairs it recomputed: the others' rubric side was not scored.
        await links.UpsertCommitLinksAsync(merged.Where(l => !inPass.Contains(l.SessionId) && (inScope is null || inScope(l.CommitSha, l.SessionId))).ToList(), cancellationToken);
        return merged.Where(l => inPass.Contains(l.SessionId)).ToList();
    }

    /// <summary>Sessions of other repositories (or none) that a verified signed trailer of this repository's commits names.</summary>
    private async Task<IReadOnlyList<LinkSession>> SignedSessionsElsewhereAsync(string slug, DateTimeOffset since, IReadOnlyList<LinkSession> sessions,
        CancellationToken cancellationToken)
    {
        var own = sessions.Select(s => s.SessionId).ToHashSet(StringComparer.Ordinal);
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var json in await inputs.SignedTrailersAsync(slug, since, cancellationToken))
        {
            foreach (var (key, value) in CommitLinker.ParseTrailers(json))
            {
                if (key.Trim().Equals(SessionTrailers.AgentsAttribution, StringComparison.OrdinalIgnoreCase)
                    && verifier.Verify(slug, value) is { } verified && !own.Contains(verified.SessionId))
                {
                    named.Add(verified.SessionId);
                }
            }
        }

        return named.Count == 0 ? [] : await inputs.SessionsByIdAsync(named, cancellationToken);
    }

    /// <summary>Adds each PR's commits as git sees them (head not reachable from base), before commits are linked.</summary>
    private async Task<int> AddPrMembersAsync(string slug, RegisteredRepository? clone, IReadOnlyList<LinkPullRequest> prs, CancellationToken cancellationToken)
    {
        var added = 0;
        if (clone?.ClonePath is { } path)
        {
            foreach (var pr in prs.Where(p => !string.IsNullOrEmpty(p.HeadSha)))
            {
                var members = PrMembers(path, pr);
                if (members.Count > 0)
                {
                    added += await links.AddPrCommitsAsync(pr.Provider, slug, pr.PrNumber, members, cancellationToken);
                }
            }
        }

        return added;
    }

    private async Task<BackfillResult> LinkPullRequestsAsync(
        string slug, RegisteredRepository? clone, IReadOnlyList<LinkPullRequest> prs, IReadOnlyList<LinkPrCommit> prCommits, CancellationToken cancellationToken)
    {
        if (prs.Count == 0)
        {
            return new BackfillResult();
        }

        var commitLinks = await links.CommitLinksAsync(slug, cancellationToken);
        var events = await inputs.PrEventsAsync(slug, cancellationToken);
        var linkCount = 0;
        var byPr = prCommits.ToLookup(c => (c.Provider, c.PrNumber));
        foreach (var pr in prs)
        {
            var shas = byPr[(pr.Provider, pr.PrNumber)].Select(c => c.Sha).ToHashSet(StringComparer.Ordinal);
            var found = PrLinker.Link(pr, shas, commitLinks, events, clone?.DefaultBranch);
            await links.ReplacePrLinksAsync(pr.Provider, slug, pr.PrNumber, found, options.Value.Threshold, cancellationToken);
            linkCount += found.Count;
        }

        return new BackfillResult { PrLinks = linkCount };
    }

    /// <summary>Commits reachable from the PR's head and not from its base (before the merge when merged), plus its merge commit.</summary>
    private List<string> PrMembers(string clonePath, LinkPullRequest pr)
    {
        var excludes = new List<string>();
        string? mergeFirstParent = pr.MergeCommitSha is null ? null : reader.FirstParent(clonePath, pr.MergeCommitSha);
        if (mergeFirstParent is not null)
        {
            excludes.Add(mergeFirstParent);
        }
        else if (PrLinker.BranchName(pr.BaseRef) is { } baseRef)
        {
            excludes.Add(baseRef);
        }

        // Without a base the range would be the whole history: no membership rather than a wrong one.
        if (excludes.Count == 0)
        {
            return [];
        }

        var range = reader.ReadRange(clonePath, pr.HeadSha!, excludes, 1000)?.ToList() ?? [];
        if (mergeFirstParent is not null && pr.State == "merged")
        {
            range.Add(pr.MergeCommitSha!);
        }

        return range;
    }

    /// <summary>
    /// Downstream touches and line outcomes. Incremental: only targets within the downstream window before the earliest new
    /// commit or commit whose links changed (or whose survival horizon passed since the previous pass), and older targets
    /// following a file the new commits or the head's move changed; they are computed from the commits of their files alone.
    /// Returns the counts and the head the line figures were read at.
    /// </summary>
    private async Task<(BackfillResult Result, string? Head)> DownstreamAsync(
        string slug, string? clonePath, DateTimeOffset since, IReadOnlyList<LinkPullRequest> prs, IReadOnlyList<LinkPrCommit> prCommits,
        IncrementalScope? increment, IReadOnlySet<string> changedLinks, CommitWindow? kept, CancellationToken cancellationToken)
    {
        var reading = Stopwatch.StartNew();
        var window = TimeSpan.FromDays(options.Value.DownstreamWindowDays);
        var now = time.GetUtcNow();
        // An incremental pass reads few targets: young work is blamed from the work on rather than whole per file.
        using var lineReader = clonePath is null ? null : LineOriginReader.Open(clonePath, logger, boundYoungWork: increment is not null);
        var head = lineReader?.HeadSha;
        IReadOnlyList<LinkCommit> commits;
        IReadOnlyList<LinkCommitFile> files;
        IReadOnlyList<StoredCommitLink> commitLinks;
        HashSet<(string Kind, string Key)>? scope = null;
        if (increment is null)
        {
            (commits, files) = await CommitsSinceAsync(slug, since - window, kept, cancellationToken);
            commitLinks = await links.LinkWeightsFromAsync(slug, AllHistory, 0, cancellationToken);
        }
        else
        {
            var readsLines = options.Value.LineBudgetSeconds > 0 ? lineReader : null;
            (commits, files, commitLinks, scope) = await DownstreamIncrementAsync(slug, since, window, increment, changedLinks, head, readsLines, prs, prCommits, kept, cancellationToken);
            prs = prs.Where(p => scope.Contains((DownstreamCalculator.PrTarget, DownstreamStore.PrKey(p.Provider, p.PrNumber)))).ToList();
        }

        var linked = commitLinks.Select(l => l.CommitSha).ToHashSet(StringComparer.Ordinal);
        var read = reading.Elapsed;
        var clock = Stopwatch.StartNew();

        // Line facts are read from git only for targets whose inputs changed since the last pass (their fingerprint).
        var (stored, storedTouchLines) = await downstream.LineFactsAsync(slug, cancellationToken, scope);
        var lines = lineReader is null || options.Value.LineBudgetSeconds <= 0 ? null : new LineFacts(lineReader, stored, storedTouchLines, now, TimeSpan.FromSeconds(options.Value.LineBudgetSeconds), cancellationToken);

        var output = DownstreamCalculator.Compute(commits, files, prs, prCommits, since, window,
            c => (c.Agent is not null || linked.Contains(c.Sha)) && (scope is null || scope.Contains((DownstreamCalculator.CommitTarget, c.Sha))),
            new DownstreamCalculator.SameWork(commitLinks, options.Value.Threshold), now, lines is null ? null : lines.Answer);
        var (written, _) = await downstream.ReplaceAsync(slug, output.Targets, output.Touches, cancellationToken, onlyTargets: scope is not null);
        await downstream.ReplaceLineOutcomesAsync(slug, output.Targets, output.Outcomes, now, cancellationToken, onlyTargets: scope is not null);
        var counters = prs.Where(p => output.Targets.Contains((DownstreamCalculator.PrTarget, DownstreamStore.PrKey(p.Provider, p.PrNumber))))
            .Select(p =>
            {
                var key = DownstreamStore.PrKey(p.Provider, p.PrNumber);
                var touches = output.Touches.Where(t => t.TargetKind == DownstreamCalculator.PrTarget && t.TargetKey == key).ToList();
                return (p.Provider, p.PrNumber, touches.Count, touches.Count == 0 ? (DateTimeOffset?)null : touches.Max(t => t.TouchedTs));
            }).ToList();
        await downstream.UpdatePrCountersAsync(slug, counters, cancellationToken);
        LogDownstreamSteps(logger, slug, commits.Count, files.Count, (long)read.TotalMilliseconds, output.Targets.Count, (long)clock.Elapsed.TotalMilliseconds);
        return (new BackfillResult
        {
            DownstreamTouches = output.Touches.Count,
            DownstreamWritten = written,
            LineTargets = output.Outcomes.Count,
            LineTargetsRead = lines?.Read ?? 0,
            LineElapsed = lines?.Elapsed ?? TimeSpan.Zero,
            LineTargetsDeferred = lines?.Deferred ?? 0,
        }, head);
    }

    /// <summary>
    /// The targets an incremental pass recomputes downstream, and the commits, files and links they are computed from.
    /// Touches change only for targets sharing a file (under any of its names) with a new commit or a commit whose links
    /// changed, landed within the downstream window before it (and for those commits themselves, and PRs merged in that
    /// window or holding them). When line figures are read, they change as well for targets whose survival horizon passed
    /// since the previous pass, and for older targets following a path the new commits, or the head's move since the
    /// previous pass, changed: those are computed from every commit of every path they follow.
    /// </summary>
    private async Task<(IReadOnlyList<LinkCommit> Commits, IReadOnlyList<LinkCommitFile> Files, IReadOnlyList<StoredCommitLink> Links, HashSet<(string Kind, string Key)> Scope)>
        DownstreamIncrementAsync(
            string slug, DateTimeOffset since, TimeSpan window, IncrementalScope increment, IReadOnlySet<string> changedLinks, string? head, LineOriginReader? lineReader,
            IReadOnlyList<LinkPullRequest> prs, IReadOnlyList<LinkPrCommit> prCommits, CommitWindow? read, CancellationToken cancellationToken)
    {
        var changedCommits = increment.NewCommits.Select(c => c.Sha).Concat(changedLinks).ToHashSet(StringComparer.Ordinal);
        var firstChange = (await inputs.CommitsOfAsync(slug, changedCommits, cancellationToken)).Select(c => c.CommitterTs).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        var now = time.GetUtcNow();
        var previous = increment.Previous.PassedAt - IncrementalScope.Margin;
        bool HorizonPassed(DateTimeOffset ts) => lineReader is not null
            && new[] { DownstreamCalculator.ShortSurvivalDays, DownstreamCalculator.LongSurvivalDays }.Any(days => ts.AddDays(days) > previous && ts.AddDays(days) <= now);
        var windowStart = firstChange == DateTimeOffset.MaxValue ? DateTimeOffset.MaxValue : firstChange - window - IncrementalScope.Margin;
        var recent = Later(since, lineReader is null ? windowStart : Earlier(windowStart, previous.AddDays(-DownstreamCalculator.LongSurvivalDays)));
        var (windowCommits, windowFiles) = await CommitsSinceAsync(slug, recent, read, cancellationToken);
        var commits = windowCommits.ToList();
        var files = windowFiles.ToList();

        // The files the changed commits touched, under the names they had before renames within the window.
        var paths = files.Where(f => changedCommits.Contains(f.Sha)).SelectMany(f => new[] { f.Path, f.OldPath }).OfType<string>().ToHashSet(StringComparer.Ordinal);
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var f in files.Where(f => f.OldPath is not null && paths.Contains(f.Path)))
            {
                grew |= paths.Add(f.OldPath!);
            }
        }

        var onPaths = files.Where(f => paths.Contains(f.Path) || (f.OldPath is not null && paths.Contains(f.OldPath))).Select(f => f.Sha).ToHashSet(StringComparer.Ordinal);
        var scope = commits.Where(c => changedCommits.Contains(c.Sha) || (c.CommitterTs >= windowStart && onPaths.Contains(c.Sha)) || HorizonPassed(c.CommitterTs))
            .Select(c => (DownstreamCalculator.CommitTarget, c.Sha)).ToHashSet();

        // Line figures: older targets following a path whose later history changed (the new commits' files, the head's move).
        var olderShas = new HashSet<string>(StringComparer.Ordinal);
        var olderTargets = new HashSet<string>(StringComparer.Ordinal);
        var known = commits.Select(c => c.Sha).ToHashSet(StringComparer.Ordinal);
        if (lineReader is not null)
        {
            var newShas = increment.NewCommits.Select(c => c.Sha).ToHashSet(StringComparer.Ordinal);
            var touched = files.Where(f => newShas.Contains(f.Sha)).SelectMany(f => new[] { f.Path, f.OldPath }).OfType<string>().ToHashSet(StringComparer.Ordinal);
            if (head is not null && increment.Previous.Head is { } previousHead && previousHead != head)
            {
                touched.UnionWith(lineReader.PathsChangedBetween(previousHead, head) ?? new HashSet<string>());
            }

            olderShas.UnionWith((await FollowRenamesAsync(slug, touched, backwards: true, cancellationToken)).Select(f => f.Sha));
            var older = (await inputs.CommitsOfAsync(slug, olderShas.Where(s => !known.Contains(s)), cancellationToken)).Where(c => c.CommitterTs >= since).ToList();
            var olderLinks = (await links.CommitLinksOfCommitsAsync(slug, older.Select(c => c.Sha), cancellationToken)).Select(l => l.CommitSha).ToHashSet(StringComparer.Ordinal);
            olderTargets.UnionWith(older.Where(c => c.Agent is not null || olderLinks.Contains(c.Sha)).Select(c => c.Sha));
            scope.UnionWith(olderTargets.Select(sha => (DownstreamCalculator.CommitTarget, sha)));
            scope.UnionWith(commits.Where(c => olderShas.Contains(c.Sha)).Select(c => (DownstreamCalculator.CommitTarget, c.Sha)));
        }

        var membersOf = prCommits.ToLookup(c => DownstreamStore.PrKey(c.Provider, c.PrNumber), c => c.Sha);
        var prShas = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pr in prs.Where(p => p.State == "merged" && p.MergedAt is not null))
        {
            var key = DownstreamStore.PrKey(pr.Provider, pr.PrNumber);
            var own = membersOf[key].ToList();
            var origins = pr.MergeCommitSha is { } m ? own.Append(m).ToList() : own;
            if (pr.MergedAt >= windowStart || HorizonPassed(pr.MergedAt!.Value) || origins.Any(changedCommits.Contains) || origins.Any(olderShas.Contains))
            {
                scope.Add((DownstreamCalculator.PrTarget, key));
                prShas.UnionWith(own);
            }
        }

        // The PRs' own files, and for line figures everything the older targets' files became, with every commit of those paths.
        var extra = prShas.Concat(olderTargets).Where(s => !known.Contains(s)).ToHashSet(StringComparer.Ordinal);
        var extraFiles = (await inputs.CommitFilesOfAsync(slug, extra, cancellationToken)).ToList();
        if (lineReader is not null)
        {
            var followed = await FollowRenamesAsync(slug, extraFiles.SelectMany(f => new[] { f.Path, f.OldPath }).OfType<string>(), backwards: false, cancellationToken);
            var later = followed.Select(f => f.Sha).Where(s => !known.Contains(s) && !extra.Contains(s)).ToHashSet(StringComparer.Ordinal);
            extra.UnionWith(later);
            // A later commit is needed only on the paths followed (its other files are no target's): those rows are read.
            extraFiles.AddRange(followed.Where(f => later.Contains(f.Sha)));
            commits.AddRange(await KeptCommitsOfAsync(slug, extra, cancellationToken));
        }

        files.AddRange(extraFiles);
        // Whether a commit is a target: any link of it. The same work of a target (or of a PR's commits): every commit
        // linked at or above the threshold to a session linked so to one of them, as a full pass weighs it (all links).
        var workOrigins = scope.Where(t => t.Item1 == DownstreamCalculator.CommitTarget).Select(t => t.Item2)
            .Concat(prShas)
            .Concat(prs.Where(p => p.MergeCommitSha is not null && scope.Contains((DownstreamCalculator.PrTarget, DownstreamStore.PrKey(p.Provider, p.PrNumber)))).Select(p => p.MergeCommitSha!))
            .ToHashSet(StringComparer.Ordinal);
        var originLinks = await links.CommitLinksOfCommitsAsync(slug, workOrigins, cancellationToken);
        var sessionsOfWork = originLinks.Where(l => l.Confidence >= options.Value.Threshold).Select(l => l.SessionId).ToHashSet(StringComparer.Ordinal);
        var commitLinks = originLinks.Concat(await links.LinksOfSessionsAsync(slug, sessionsOfWork, options.Value.Threshold, cancellationToken)).ToList();
        return (commits, files, commitLinks, scope);
    }

    /// <summary>The repository's commits among <paramref name="shas"/> (<see cref="LinkingInputStore.CommitsOfAsync"/>), those kept from an earlier pass not read again.</summary>
    private async Task<IReadOnlyList<LinkCommit>> KeptCommitsOfAsync(string slug, IEnumerable<string> shas, CancellationToken cancellationToken)
    {
        var found = new List<LinkCommit>();
        var missing = new List<string>();
        foreach (var sha in shas)
        {
            if (_commits.TryGetValue((slug, sha), out var kept))
            {
                found.Add(kept);
            }
            else
            {
                missing.Add(sha);
            }
        }

        if (missing.Count == 0)
        {
            return found;
        }

        var read = await inputs.CommitsOfAsync(slug, missing, cancellationToken);
        if (_commits.Count + read.Count > CommitsKept)
        {
            _commits.Clear();
        }

        foreach (var commit in read)
        {
            _commits[(slug, commit.Sha)] = commit;
        }

        found.AddRange(read);
        return found;
    }

    /// <summary>Forgets the kept rows of the commits written since the last pass (<paramref name="written"/>), or of all the repository's commits (null: a whole pass).</summary>
    private void ForgetCommits(string slug, IReadOnlyList<LinkCommit>? written)
    {
        if (written is null)
        {
            foreach (var key in _commits.Keys.Where(k => k.Slug == slug).ToList())
            {
                _commits.Remove(key);
            }

            return;
        }

        foreach (var commit in written)
        {
            _commits.Remove((slug, commit.Sha));
        }
    }

    /// <summary>
    /// The repository's commits committed at or after <paramref name="from"/> and their files, from what the link step
    /// already read (<paramref name="read"/>) where it covers them; only the part before it is read from the store.
    /// </summary>
    private async Task<(IReadOnlyList<LinkCommit> Commits, IReadOnlyList<LinkCommitFile> Files)> CommitsSinceAsync(
        string slug, DateTimeOffset from, CommitWindow? read, CancellationToken cancellationToken)
    {
        if (read is null)
        {
            return (await inputs.CommitsAsync(slug, from, cancellationToken), await inputs.CommitFilesAsync(slug, from, cancellationToken));
        }

        if (from >= read.From)
        {
            var commits = read.Commits.Where(c => c.CommitterTs >= from).ToList();
            var shas = commits.Select(c => c.Sha).ToHashSet(StringComparer.Ordinal);
            return (commits, read.Files.Where(f => shas.Contains(f.Sha)).ToList());
        }

        return ([.. await inputs.CommitsAsync(slug, from, cancellationToken, before: read.From), .. read.Commits],
            [.. await inputs.CommitFilesAsync(slug, from, cancellationToken, before: read.From), .. read.Files]);
    }

    /// <summary>The commits (and their files) committed at or after <see cref="From"/>, as one step of a pass read them.</summary>
    private sealed record CommitWindow(DateTimeOffset From, IReadOnlyList<LinkCommit> Commits, IReadOnlyList<LinkCommitFile> Files);

    /// <summary>
    /// File changes of the repository on <paramref name="paths"/> and, through renames, on the names those paths had
    /// before (<paramref name="backwards"/>) or became after; the set of paths grows until no rename adds one.
    /// </summary>
    private async Task<IReadOnlyList<LinkCommitFile>> FollowRenamesAsync(
        string slug, IEnumerable<string> paths, bool backwards, CancellationToken cancellationToken)
    {
        var all = paths.ToHashSet(StringComparer.Ordinal);
        var rows = new Dictionary<(string Sha, string Path), LinkCommitFile>();
        var pending = all.ToList();
        while (pending.Count > 0)
        {
            var next = new List<string>();
            foreach (var row in await inputs.FilesOnPathsAsync(slug, pending, cancellationToken))
            {
                rows.TryAdd((row.Sha, row.Path), row);
                var other = backwards ? (all.Contains(row.Path) ? row.OldPath : null) : (row.OldPath is not null && all.Contains(row.OldPath) ? row.Path : null);
                if (other is not null && all.Add(other))
                {
                    next.Add(other);
                }
            }

            pending = next;
        }

        return rows.Values.ToList();
    }

    /// <summary>
    /// PRs whose session links an incremental pass can have changed: those holding a commit whose links changed, or all
    /// when a changed session created, pushed or opened a branch or PR.
    /// </summary>
    private static IReadOnlyList<LinkPullRequest> PrsReached(
        IReadOnlyList<LinkPullRequest> prs, IReadOnlyList<LinkPrCommit> prCommits, IReadOnlySet<string> changedLinks, IncrementalScope increment)
    {
        if (increment.ChangedSessionsNameBranches || prs.Count == 0)
        {
            return prs;
        }

        if (changedLinks.Count == 0)
        {
            return [];
        }

        var reached = prCommits.Where(c => changedLinks.Contains(c.Sha)).Select(c => (c.Provider, c.PrNumber)).ToHashSet();
        return prs.Where(p => reached.Contains((p.Provider, p.PrNumber))).ToList();
    }

    /// <summary>
    /// An incremental pass for the repository when only commits and sessions were added or changed since the last pass
    /// (<see cref="PassMark.OnlyAdditionsSince"/>) and few enough; null for a full pass. Its <see cref="IncrementalScope.LinkFrom"/>
    /// is the earliest time any new input can reach: a new commit's author or committer time (less a squash's window when
    /// it lists squashed subjects), a changed session's start, events and linked commits, and the commits its outputs name.
    /// </summary>
    private async Task<IncrementalScope?> PlanIncrementalAsync(
        string slug, string markScope, FingerprintRow seen, IReadOnlyList<LinkPullRequest> prs, CancellationToken cancellationToken)
    {
        var previous = PassMark.Parse(await cursors.GetAsync(PassMark.Source, slug, cancellationToken));
        if (previous is null || !previous.OnlyAdditionsSince(markScope, seen))
        {
            return Whole(slug, previous is null ? "no previous pass" : "PRs, recorded sources, the period or the settings changed, or rows were removed");
        }

        // Rows stamped after the newest the previous pass saw. A row another instance stamps earlier but commits after that
        // pass read its inputs (a lagging clock, a long transaction on PostgreSQL) waits for the next full pass.
        static DateTimeOffset Since(string? mark) =>
            DateTimeOffset.TryParse(mark, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ts) ? ts : DateTimeOffset.MinValue;
        var newCommits = await inputs.CommitsWrittenSinceAsync(slug, Since(previous.Inputs.CommitsUpdated), cancellationToken);
        var changed = (await inputs.SessionsChangedSinceAsync(slug, Since(previous.Inputs.SessionsUpdated), previous.Inputs.LastEvent ?? 0, cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        if (newCommits.Count > IncrementalScope.MaxNewCommits || changed.Count > IncrementalScope.MaxChangedSessions || (newCommits.Count == 0 && changed.Count == 0))
        {
            return Whole(slug, $"{newCommits.Count} new commits, {changed.Count} changed sessions");
        }

        // A PR's squash or merge commit arriving after its PR inherits links from members the increment may not read.
        var newShas = newCommits.Select(c => c.Sha).ToHashSet(StringComparer.Ordinal);
        if (prs.Any(p => p.MergeCommitSha is { } m && newShas.Contains(m)))
        {
            return Whole(slug, "a new commit is a PR's merge commit");
        }

        // A commit output naming a new commit by prefix: its session's authored link may move, or the prefix now names two.
        foreach (var (sessionId, prefix) in await inputs.CommitOutputsNamingAsync(slug, newShas, cancellationToken))
        {
            if ((await inputs.ResolveShaAsync(slug, prefix, cancellationToken)).Count != 1)
            {
                return Whole(slug, $"a session's commit output {prefix} now names several commits");
            }

            changed.Add(sessionId);
        }

        var from = DateTimeOffset.MaxValue;
        void Reach(DateTimeOffset? ts)
        {
            if (ts is { } t && t < from)
            {
                from = t;
            }
        }

        foreach (var commit in newCommits)
        {
            Reach(commit.CommitterTs);
            Reach(commit.AuthorTs);

            // A new squash commit listing a subject can take an older squash's authored link (one squash per subject).
            if (LinkPass.ListsSquashedSubjects(commit))
            {
                Reach(CommitLinker.WrittenTs(commit) - LinkPass.Reach(options.Value));
            }
        }

        var commitsFrom = from == DateTimeOffset.MaxValue ? from : from - LinkPass.RewriteReach - IncrementalScope.Margin;
        var linkedBefore = new HashSet<string>(StringComparer.Ordinal);

        var namesBranches = false;
        if (changed.Count > 0)
        {
            foreach (var session in await inputs.SessionsByIdAsync(changed, cancellationToken))
            {
                Reach(session.StartedTs);
                Reach(session.EndedTs);
            }

            var events = await inputs.EventsOfAsync(changed, cancellationToken);
            namesBranches = events.Any(e => e.Kind is SessionEventKinds.Branch or SessionEventKinds.Push or SessionEventKinds.PullRequest);
            var named = new HashSet<string>(StringComparer.Ordinal);
            foreach (var e in events)
            {
                Reach(e.Ts);
                if (e.Kind == SessionEventKinds.Commit && !string.IsNullOrWhiteSpace(e.Sha)
                    && await inputs.ResolveShaAsync(slug, e.Sha, cancellationToken) is { Count: 1 } match)
                {
                    named.Add(match[0].Sha);
                }
            }

            var linked = await inputs.LinkedCommitsOfSessionsAsync(slug, changed, cancellationToken);
            linkedBefore.UnionWith(linked.Select(c => c.Sha));
            foreach (var commit in linked.Concat(await inputs.CommitsOfAsync(slug, named, cancellationToken)))
            {
                Reach(commit.CommitterTs);
                Reach(commit.AuthorTs);
            }
        }

        return from == DateTimeOffset.MaxValue ? Whole(slug, "no time to start from")
            : new IncrementalScope(newCommits, changed, from - LinkPass.RewriteReach - IncrementalScope.Margin, previous, namesBranches)
            {
                CommitsFrom = commitsFrom,
                LinkedBefore = linkedBefore,
            };
    }

    /// <summary>Sessions whose repository is unknown: their own commit output may still name exactly one known commit.</summary>
    private async Task<BackfillResult> LinkSessionsWithoutRepoAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var events = await inputs.CommitEventsWithoutRepoAsync(since, cancellationToken);
        var found = new List<CommitSessionLink>();
        foreach (var e in events.Where(e => e.IsError == 0))
        {
            var matches = await inputs.ResolveShaAsync(null, e.Sha!, cancellationToken);
            if (matches.Count == 1)
            {
                var evidence = System.Text.Json.JsonSerializer.Serialize(new { method = "commit-output", authored = new { shortSha = e.Sha, command = e.Command, output = e.OutputExcerpt, eventTs = e.Ts } });
                found.Add(new CommitSessionLink(matches[0].Sha, matches[0].RepoSlug, e.SessionId, CommitLinker.Authored, 1.0, evidence));
            }
        }

        var distinct = found.DistinctBy(l => (l.CommitSha, l.RepoSlug, l.SessionId)).ToList();
        await links.UpsertCommitLinksAsync(distinct, cancellationToken);
        return new BackfillResult { CommitLinks = distinct.Count, StrongCommitLinks = distinct.Count };
    }

    private IncrementalScope? Whole(string slug, string reason)
    {
        LogWhole(logger, slug, reason);
        return null;
    }

    [LoggerMessage(EventId = 4210, Level = LogLevel.Debug, Message = "Scanned {RepoSlug}: {Commits} new commits in {ScanMs} ms")]
    private static partial void LogScan(ILogger logger, string repoSlug, int commits, long scanMs);

    [LoggerMessage(EventId = 4211, Level = LogLevel.Debug, Message = "Planned the pass over {RepoSlug} (incremental: {Incremental}) in {PlanMs} ms")]
    private static partial void LogPlanned(ILogger logger, string repoSlug, bool incremental, long planMs);

    [LoggerMessage(EventId = 4208, Level = LogLevel.Debug, Message = "Linking {RepoSlug}: {Sessions} sessions, {Events} events, {Commits} commits, {Files} file changes read in {ReadMs} ms; commit outputs resolved in {ResolveMs} ms, paths read in {PathsMs} ms, scored in {ScoreMs} ms, written in {WriteMs} ms")]
    private static partial void LogLinkSteps(ILogger logger, string repoSlug, int sessions, int events, int commits, int files, long readMs, long resolveMs, long pathsMs, long scoreMs, long writeMs);

    [LoggerMessage(EventId = 4209, Level = LogLevel.Debug, Message = "Downstream {RepoSlug}: {Commits} commits, {Files} file changes read in {ReadMs} ms; {Targets} targets computed and written in {ComputeMs} ms")]
    private static partial void LogDownstreamSteps(ILogger logger, string repoSlug, int commits, int files, long readMs, int targets, long computeMs);

    [LoggerMessage(EventId = 4207, Level = LogLevel.Debug, Message = "Attribution pass over {RepoSlug} runs whole: {Reason}")]
    private static partial void LogWhole(ILogger logger, string repoSlug, string reason);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Registered clone of {RepoSlug} at {ClonePath} is not a git repository any more; skipped")]
    private static partial void LogCloneMissing(ILogger logger, string repoSlug, string clonePath);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Git scan of {RepoSlug} failed: {Reason}")]
    private static partial void LogScanFailed(ILogger logger, string repoSlug, string reason);

    [LoggerMessage(EventId = 4206, Level = LogLevel.Warning, Message = "Attribution pass: linking {RepoSlug} failed, other repositories continue: {Reason}")]
    private static partial void LogLinkFailed(ILogger logger, string repoSlug, string reason);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "Attribution pass: {Repositories} repositories, {Commits} new commits, {Links} commit links ({Strong} ≥ threshold), {PrLinks} PR links, {Touches} downstream touches in {ElapsedMs} ms")]
    private static partial void LogPass(ILogger logger, int repositories, int commits, int links, int strong, int prLinks, int touches, long elapsedMs);
}
