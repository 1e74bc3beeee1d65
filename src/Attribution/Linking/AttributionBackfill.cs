using Attribution.Ingest;
using System.Diagnostics;
using Attribution.Git;
using Attribution.Operations;
using Prometheus;
using Attribution.Store;
using Microsoft.Extensions.Options;
using Attribution.Common;

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
                    var scan = await gitIngest.IngestAsync(repo.Slug, repo.ClonePath, null, null, cancellationToken);
                    total = total with { CommitsRead = total.CommitsRead + scan.CommitsRead, Warnings = total.Warnings + scan.Warnings };
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
                var before = await inputs.FingerprintAsync(slug, cancellationToken) + "|" + Settings(settings);
                if (await cursors.GetAsync(FingerprintSource, slug, cancellationToken) == scope + "|" + before)
                {
                    total = total with { Repositories = total.Repositories + 1, Unchanged = total.Unchanged + 1 };
                    continue;
                }

                try
                {
                    var phase = Stopwatch.StartNew();
                    var prs = await inputs.PullRequestsAsync(slug, cancellationToken);
                    var result = new BackfillResult { PrCommitsAdded = await AddPrMembersAsync(slug, clone, prs, cancellationToken) };
                    result = result.Add(await LinkCommitsAsync(slug, clone?.ClonePath, sinceTs, prs, cancellationToken));
                    result = result.Add(await LinkPullRequestsAsync(slug, clone, prs, cancellationToken));
                    result = result with { LinkElapsed = phase.Elapsed };
                    phase.Restart();
                    result = result.Add(await DownstreamAsync(slug, clone?.ClonePath, sinceTs, cancellationToken)) with { DownstreamElapsed = phase.Elapsed };
                    total = total.Add(result) with { Repositories = total.Repositories + 1 };

                    // Line targets left for later: no fingerprint, so the next pass comes back for them.
                    if (result.LineTargetsDeferred == 0)
                    {
                        var after = await inputs.FingerprintAsync(slug, cancellationToken) + "|" + Settings(settings);
                        await cursors.SetAsync(FingerprintSource, slug, scope + "|" + after, cancellationToken);
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

    private async Task<BackfillResult> LinkCommitsAsync(string slug, string? clonePath, DateTimeOffset since, IReadOnlyList<LinkPullRequest> prs, CancellationToken cancellationToken)
    {
        var sessions = await inputs.SessionsAsync(slug, since, cancellationToken);

        // A verified signed trailer names its session whatever repository that session was ingested for: the contract
        // (§6, §7) binds the metadata to the commit's repository and this instance, not the session's home repository.
        var signedElsewhere = await SignedSessionsElsewhereAsync(slug, since, sessions, cancellationToken);
        if (sessions.Count == 0 && signedElsewhere.Count == 0)
        {
            return new BackfillResult();
        }

        var events = await inputs.EventsAsync(slug, since, cancellationToken);
        var earliest = sessions.Concat(signedElsewhere).Select(s => s.StartedTs).Concat(events.Select(e => (DateTimeOffset?)e.Ts)).Where(t => t is not null)
            .DefaultIfEmpty(since).Min()!.Value;
        var from = earliest > DateTimeOffset.MinValue.AddMinutes(1) ? earliest - TimeSpan.FromMinutes(1) : DateTimeOffset.MinValue;
        var commits = await inputs.CommitsAsync(slug, from, cancellationToken);
        var files = await inputs.CommitFilesAsync(slug, from, cancellationToken);

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
        IReadOnlyDictionary<string, IReadOnlyList<string>>? AddedLines(string sha) => diffReader?.Read(sha);

        var linker = new CommitLinker(options.Value);
        var paths = await inputs.PathsAsync(slug, cancellationToken);
        var found = linker.Link(slug, sessions, events, commits, files, authored, AddedLines, value => verifier.Verify(slug, value), unresolved, paths,
            signedElsewhere.Select(s => s.SessionId).ToHashSet(StringComparer.Ordinal));
        if (prs.Count > 0)
        {
            found = SquashInheritance.Apply(found, prs, await inputs.PrCommitsAsync(slug, cancellationToken), commits, options.Value.Threshold);
        }

        var ids = sessions.Concat(signedElsewhere).Select(s => s.SessionId).ToList();
        if (recordedSources is not null)
        {
            found = await WithRecordedAsync(slug, clonePath, found, ids, files, cancellationToken);
        }

        var (written, removed) = await links.ReplaceCommitLinksAsync(slug, ids, found, cancellationToken);
        return new BackfillResult
        {
            Sessions = sessions.Count,
            CommitLinks = found.Count,
            StrongCommitLinks = found.Count(l => l.Confidence >= options.Value.Threshold),
            CommitLinksWritten = written,
            CommitLinksRemoved = removed,
        };
    }

    /// <summary>
    /// The rubric's links with what source tools recorded laid over them (<see cref="RecordedLinker"/>). Recorded links of
    /// sessions outside this pass's window are written here, without touching those sessions' other links.
    /// </summary>
    private async Task<IReadOnlyList<CommitSessionLink>> WithRecordedAsync(
        string slug, string? clonePath, IReadOnlyList<CommitSessionLink> found, IReadOnlyList<string> sessionIds, IReadOnlyList<LinkCommitFile> files, CancellationToken cancellationToken)
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
        await links.UpsertCommitLinksAsync(merged.Where(l => !inPass.Contains(l.SessionId)).ToList(), cancellationToken);
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

    private async Task<BackfillResult> LinkPullRequestsAsync(string slug, RegisteredRepository? clone, IReadOnlyList<LinkPullRequest> prs, CancellationToken cancellationToken)
    {
        if (prs.Count == 0)
        {
            return new BackfillResult();
        }

        var prCommits = await inputs.PrCommitsAsync(slug, cancellationToken);
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

    private async Task<BackfillResult> DownstreamAsync(string slug, string? clonePath, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var window = TimeSpan.FromDays(options.Value.DownstreamWindowDays);
        var from = since - window;
        var commits = await inputs.CommitsAsync(slug, from, cancellationToken);
        var files = await inputs.CommitFilesAsync(slug, from, cancellationToken);
        var prs = await inputs.PullRequestsAsync(slug, cancellationToken);
        var prCommits = await inputs.PrCommitsAsync(slug, cancellationToken);
        var commitLinks = await links.CommitLinksAsync(slug, cancellationToken);
        var linked = commitLinks.Select(l => l.CommitSha).ToHashSet(StringComparer.Ordinal);
        var now = time.GetUtcNow();

        // Line facts are read from git only for targets whose inputs changed since the last pass (their fingerprint).
        var (stored, storedTouchLines) = await downstream.LineFactsAsync(slug, cancellationToken);
        using var lineReader = clonePath is null ? null : LineOriginReader.Open(clonePath, logger);
        var lines = lineReader is null ? null : new LineFacts(lineReader, stored, storedTouchLines, now, TimeSpan.FromSeconds(options.Value.LineBudgetSeconds), cancellationToken);

        var output = DownstreamCalculator.Compute(commits, files, prs, prCommits, since, window, c => c.Agent is not null || linked.Contains(c.Sha),
            new DownstreamCalculator.SameWork(commitLinks, options.Value.Threshold), now, lines is null ? null : lines.Answer);
        var (written, _) = await downstream.ReplaceAsync(slug, output.Targets, output.Touches, cancellationToken);
        await downstream.ReplaceLineOutcomesAsync(slug, output.Targets, output.Outcomes, now, cancellationToken);
        var counters = prs.Where(p => output.Targets.Contains((DownstreamCalculator.PrTarget, DownstreamStore.PrKey(p.Provider, p.PrNumber))))
            .Select(p =>
            {
                var key = DownstreamStore.PrKey(p.Provider, p.PrNumber);
                var touches = output.Touches.Where(t => t.TargetKind == DownstreamCalculator.PrTarget && t.TargetKey == key).ToList();
                return (p.Provider, p.PrNumber, touches.Count, touches.Count == 0 ? (DateTimeOffset?)null : touches.Max(t => t.TouchedTs));
            }).ToList();
        await downstream.UpdatePrCountersAsync(slug, counters, cancellationToken);
        return new BackfillResult
        {
            DownstreamTouches = output.Touches.Count,
            DownstreamWritten = written,
            LineTargets = output.Outcomes.Count,
            LineTargetsRead = lines?.Read ?? 0,
            LineElapsed = lines?.Elapsed ?? TimeSpan.Zero,
            LineTargetsDeferred = lines?.Deferred ?? 0,
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

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Registered clone of {RepoSlug} at {ClonePath} is not a git repository any more; skipped")]
    private static partial void LogCloneMissing(ILogger logger, string repoSlug, string clonePath);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Git scan of {RepoSlug} failed: {Reason}")]
    private static partial void LogScanFailed(ILogger logger, string repoSlug, string reason);

    [LoggerMessage(EventId = 4206, Level = LogLevel.Warning, Message = "Attribution pass: linking {RepoSlug} failed, other repositories continue: {Reason}")]
    private static partial void LogLinkFailed(ILogger logger, string repoSlug, string reason);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "Attribution pass: {Repositories} repositories, {Commits} new commits, {Links} commit links ({Strong} ≥ threshold), {PrLinks} PR links, {Touches} downstream touches in {ElapsedMs} ms")]
    private static partial void LogPass(ILogger logger, int repositories, int commits, int links, int strong, int prLinks, int touches, long elapsedMs);
}
