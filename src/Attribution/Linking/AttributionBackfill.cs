using System.Diagnostics;
using Attribution.Git;
using Attribution.Operations;
using Prometheus;
using Attribution.Store;
using Microsoft.Extensions.Options;

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
    /// <summary>Cursor source under which each repository's input fingerprint of the last pass is kept.</summary>
    public const string FingerprintSource = "attribution";

    private readonly SemaphoreSlim _gate = new(1, 1);

    private static string Settings(LinkingOptions o) => FormattableString.Invariant(
        $"{o.TouchWindowHours}/{o.TextWindowDays}/{o.ActiveGraceMinutes}/{o.DownstreamWindowDays}/{o.Threshold}");

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
            var sinceTs = time.GetUtcNow() - (since ?? TimeSpan.FromDays(settings.DefaultSinceDays));
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
                catch (LibGit2Sharp.LibGit2SharpException ex)
                {
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

                var result = await LinkCommitsAsync(slug, clone?.ClonePath, sinceTs, cancellationToken);
                result = result.Add(await LinkPullRequestsAsync(slug, clone, cancellationToken));
                result = result.Add(await DownstreamAsync(slug, sinceTs, cancellationToken));
                total = total.Add(result) with { Repositories = total.Repositories + 1 };
                var after = await inputs.FingerprintAsync(slug, cancellationToken) + "|" + Settings(settings);
                await cursors.SetAsync(FingerprintSource, slug, scope + "|" + after, cancellationToken);
            }

            if (filter is null)
            {
                total = total.Add(await LinkSessionsWithoutRepoAsync(sinceTs, cancellationToken));
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

    private async Task<BackfillResult> LinkCommitsAsync(string slug, string? clonePath, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var sessions = await inputs.SessionsAsync(slug, since, cancellationToken);
        if (sessions.Count == 0)
        {
            return new BackfillResult();
        }

        var events = await inputs.EventsAsync(slug, since, cancellationToken);
        var earliest = sessions.Select(s => s.StartedTs).Concat(events.Select(e => (DateTimeOffset?)e.Ts)).Where(t => t is not null).DefaultIfEmpty(since).Min()!.Value;
        var from = earliest - TimeSpan.FromMinutes(1);
        var commits = await inputs.CommitsAsync(slug, from, cancellationToken);
        var files = await inputs.CommitFilesAsync(slug, from, cancellationToken);

        var authored = new List<AuthoredHit>();
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
        }

        using var diffReader = clonePath is null ? null : reader.OpenAddedLines(clonePath);
        IReadOnlyDictionary<string, IReadOnlyList<string>>? AddedLines(string sha) => diffReader?.Read(sha);

        var linker = new CommitLinker(options.Value);
        IReadOnlyList<CommitSessionLink> found = linker.Link(slug, sessions, events, commits, files, authored, AddedLines, value => verifier.Verify(slug, value));
        var ids = sessions.Select(s => s.SessionId).ToList();
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

    private async Task<BackfillResult> LinkPullRequestsAsync(string slug, RegisteredRepository? clone, CancellationToken cancellationToken)
    {
        var prs = await inputs.PullRequestsAsync(slug, cancellationToken);
        if (prs.Count == 0)
        {
            return new BackfillResult();
        }

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

        return new BackfillResult { PrCommitsAdded = added, PrLinks = linkCount };
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

    private async Task<BackfillResult> DownstreamAsync(string slug, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var window = TimeSpan.FromDays(options.Value.DownstreamWindowDays);
        var from = since - window;
        var commits = await inputs.CommitsAsync(slug, from, cancellationToken);
        var files = await inputs.CommitFilesAsync(slug, from, cancellationToken);
        var prs = await inputs.PullRequestsAsync(slug, cancellationToken);
        var prCommits = await inputs.PrCommitsAsync(slug, cancellationToken);
        var linked = (await links.CommitLinksAsync(slug, cancellationToken)).Select(l => l.CommitSha).ToHashSet(StringComparer.Ordinal);
        var output = DownstreamCalculator.Compute(commits, files, prs, prCommits, since, window, c => c.Agent is not null || linked.Contains(c.Sha));
        var (written, _) = await downstream.ReplaceAsync(slug, output.Targets, output.Touches, cancellationToken);
        var counters = prs.Where(p => output.Targets.Contains((DownstreamCalculator.PrTarget, DownstreamCalculator.PrKey(p.Provider, p.PrNumber))))
            .Select(p =>
            {
                var key = DownstreamCalculator.PrKey(p.Provider, p.PrNumber);
                var touches = output.Touches.Where(t => t.TargetKind == DownstreamCalculator.PrTarget && t.TargetKey == key).ToList();
                return (p.Provider, p.PrNumber, touches.Count, touches.Count == 0 ? (DateTimeOffset?)null : touches.Max(t => t.TouchedTs));
            }).ToList();
        await downstream.UpdatePrCountersAsync(slug, counters, cancellationToken);
        return new BackfillResult { DownstreamTouches = output.Touches.Count, DownstreamWritten = written };
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

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "Attribution pass: {Repositories} repositories, {Commits} new commits, {Links} commit links ({Strong} ≥ threshold), {PrLinks} PR links, {Touches} downstream touches in {ElapsedMs} ms")]
    private static partial void LogPass(ILogger logger, int repositories, int commits, int links, int strong, int prLinks, int touches, long elapsedMs);
}
