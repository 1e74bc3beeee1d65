using Attribution.Git;
using Attribution.Store;

namespace Attribution.Decisions.Outcomes;

/// <summary>One line of an attribution run: a decision's verdict (or a missed bug), with its reason.</summary>
public sealed record AttributionEntry(string Id, string? Outcome, string Verdict, string Reason);

/// <summary>The result of <c>cstp.attributeOutcomes</c>.</summary>
public sealed record AttributionRun(int Processed, int Stable, int BugLinked, int Missed, int Written, bool DryRun, IReadOnlyList<AttributionEntry> Entries);

/// <summary>
/// Gathers what happened to each decision's code (its PR, later fix/revert commits on its file, blame of
/// those fixes, reported bugs), lets <see cref="OutcomeJudge"/> decide, and writes the outcomes unless dry run.
/// Decisions reviewed by hand are reported but never changed.
/// </summary>
public sealed partial class OutcomeAttributor(
    DecisionStore decisions, OutcomeEvidenceStore evidence, RepositoryStore repositories, BlameReader blame, TimeProvider time,
    ILogger<OutcomeAttributor> logger)
{
    public async Task<AttributionRun> RunAsync(string project, DateTimeOffset? since, int stabilityDays, bool dryRun, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var all = await decisions.QueryAsync(new DecisionFilter { Project = project, Limit = 100_000 }, cancellationToken);
        var bugs = await decisions.ListBugsAsync(project, DateTimeOffset.MinValue, cancellationToken);
        var clone = await ClonePathAsync(project, cancellationToken);

        var entries = new List<AttributionEntry>();
        var outcomes = new List<AttributedOutcome>();
        var ownByDecision = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal);
        var (stable, bugLinked) = (0, 0);
        var candidates = all.Where(d => since is null || d.CreatedTs >= since).OrderBy(d => d.CreatedTs).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();
        foreach (var decision in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (pr, own) = await PrAndCommitsAsync(project, decision, cancellationToken);
            ownByDecision[decision.Id] = own;
            if (decision.OutcomeSource == "review")
            {
                entries.Add(new AttributionEntry(decision.Id, decision.Outcome, "reviewed", "reviewed by hand; attribution leaves it as it is"));
                continue;
            }

            var touches = await TouchesAsync(project, decision, pr, own, clone, cancellationToken);
            var linkedBugs = bugs.Where(b => b.ReportedTs >= decision.CreatedTs && BugMatches(b, decision, own)).ToList();
            var verdict = OutcomeJudge.Judge(new DecisionFacts(decision, pr, touches, linkedBugs), now, stabilityDays);
            entries.Add(new AttributionEntry(decision.Id, verdict.Outcome, verdict.Kind, verdict.Reason));
            if (verdict.Outcome is not null)
            {
                outcomes.Add(new AttributedOutcome(decision.Id, verdict.Outcome, verdict.Kind, verdict.Reason, verdict.BugId));
                _ = verdict.Kind == Verdict.Stable ? stable++ : bugLinked++;
            }
        }

        var missed = new List<string>();
        foreach (var bug in bugs.Where(b => (since is null || b.ReportedTs >= since) && (b.FilePath is not null || b.IntroducingSha is not null)))
        {
            var matched = false;
            foreach (var decision in all)
            {
                if (!ownByDecision.TryGetValue(decision.Id, out var own))
                {
                    (_, own) = await PrAndCommitsAsync(project, decision, cancellationToken);
                    ownByDecision[decision.Id] = own;
                }

                if (BugMatches(bug, decision, own))
                {
                    matched = true;
                    break;
                }
            }

            if (!matched)
            {
                missed.Add(bug.Id);
                var introduced = bug.IntroducingSha is null ? "" : $" (introduced by {bug.IntroducingSha[..Math.Min(7, bug.IntroducingSha.Length)]}{(bug.PrNumber is { } n ? $" in PR #{n}" : "")})";
                entries.Add(new AttributionEntry(bug.Id, "missed", "missed", $"bug on {bug.FilePath}:{bug.Line}{introduced}: no decision was recorded on that code"));
            }
        }

        var written = dryRun ? 0 : await decisions.ApplyAttributionAsync(outcomes, missed, now, cancellationToken);
        LogRun(logger, project, candidates.Count, stable, bugLinked, missed.Count, written, dryRun);
        return new AttributionRun(candidates.Count, stable, bugLinked, missed.Count, written, dryRun, entries);
    }

    /// <summary>
    /// A bug belongs to a decision when it is on the decision's file and line (any line for a decision
    /// without one) and, when blame named the introducing commit and the decision's commits are known, that
    /// commit is one of them; or when the decision has no file and its PR/commit introduced the bug.
    /// </summary>
    public static bool BugMatches(BugReportRecord bug, DecisionRecord decision, IReadOnlyCollection<string> ownShas)
    {
        ArgumentNullException.ThrowIfNull(bug);
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(ownShas);
        var fromOwn = bug.IntroducingSha is { } sha && ownShas.Any(own => SameCommit(own, sha));
        if (decision.FilePath is null)
        {
            return fromOwn;
        }

        var sameFile = string.Equals(bug.FilePath, decision.FilePath, StringComparison.Ordinal);
        var lineOk = decision.Line is null || bug.Line == decision.Line || bug.OriginLine == decision.Line;
        return sameFile && lineOk && (bug.IntroducingSha is null || ownShas.Count == 0 || fromOwn);
    }

    private static bool SameCommit(string a, string b) =>
        a.StartsWith(b, StringComparison.OrdinalIgnoreCase) || b.StartsWith(a, StringComparison.OrdinalIgnoreCase);

    private async Task<(PullRequestRow? Pr, IReadOnlyCollection<string> Own)> PrAndCommitsAsync(string project, DecisionRecord decision, CancellationToken cancellationToken)
    {
        var own = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string? fullSha = null;
        if (decision.CommitSha is { } commit)
        {
            var known = await evidence.ResolveShaAsync(project, commit, cancellationToken);
            fullSha = known.Count == 1 ? known[0] : commit.Length == 40 ? commit : null;
            own.Add(fullSha ?? commit);
        }

        PullRequestRow? pr = null;
        if (decision.PrNumber is { } number)
        {
            pr = await evidence.FindPrAsync(project, number, cancellationToken);
        }
        else if (fullSha is not null)
        {
            pr = (await evidence.PrsForCommitAsync(project, fullSha, cancellationToken)).FirstOrDefault();
        }

        if (pr is not null)
        {
            own.UnionWith(await evidence.PrCommitShasAsync(project, pr.Provider, pr.PrNumber, cancellationToken));
            if (pr.MergeCommitSha is { } merge)
            {
                own.Add(merge);
            }
        }

        return (pr, own);
    }

    private async Task<IReadOnlyList<TouchFact>> TouchesAsync(string project, DecisionRecord decision, PullRequestRow? pr, IReadOnlyCollection<string> own,
        string? clone, CancellationToken cancellationToken)
    {
        if (decision.FilePath is null)
        {
            return [];
        }

        var after = pr?.MergedAt ?? decision.CreatedTs;
        var raw = await evidence.TouchesAsync(project, decision.FilePath, pr?.PrNumber, own, after, cancellationToken);
        var facts = new List<TouchFact>();
        foreach (var touch in raw.OrderBy(t => t.TouchedTs))
        {
            var kind = touch.Classification is TouchClassifier.Fix or TouchClassifier.Revert
                ? touch.Classification
                : TouchClassifier.Classify(touch.Subject, touch.RevertsSha, own);
            if (kind == TouchClassifier.Other)
            {
                continue;
            }

            var lineMatch = kind == TouchClassifier.Fix && decision.Line is { } line && clone is not null
                ? PlaceOnLine(clone, touch.Sha, decision.FilePath, (int)line, decision.CommitSha, own)
                : null;
            facts.Add(new TouchFact(touch.Sha, touch.Subject, kind, touch.TouchedTs, lineMatch));
        }

        return facts;
    }

    /// <summary>Did the fix rewrite the decision's line? Blame the lines it removed; null when blame cannot tell.</summary>
    private bool? PlaceOnLine(string clone, string fixSha, string path, int line, string? decisionCommit, IReadOnlyCollection<string> own)
    {
        var origins = blame.RemovedLineOrigins(clone, fixSha, path);
        if (origins.Count == 0)
        {
            return null;
        }

        return origins.Any(o => o.OriginLine == line && (own.Count == 0 || own.Any(s => SameCommit(s, o.OriginSha))
                                                          || (decisionCommit is not null && SameCommit(decisionCommit, o.OriginSha))));
    }

    private async Task<string?> ClonePathAsync(string project, CancellationToken cancellationToken)
    {
        var repository = await repositories.FindAsync(project, cancellationToken);
        return repository?.ClonePath is { } path && Directory.Exists(path) ? path : null;
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information,
        Message = "Outcome attribution for {Repo}: {Processed} decisions, {Stable} stable, {BugLinked} bug-linked, {Missed} missed bugs, {Written} rows written (dry run {DryRun})")]
    private static partial void LogRun(ILogger logger, string repo, int processed, int stable, int bugLinked, int missed, int written, bool dryRun);

}
