using System.Globalization;
using Attribution.Common;
using Attribution.Linking;
using Attribution.Linking.Outcomes;
using Attribution.Store;

namespace Attribution.Yield;

/// <summary>Pure maths of the yield report: per-session outcome, still-good verdict, totals, chart buckets, sorting.</summary>
public static class YieldCalculator
{
    public static IReadOnlyList<string> SortKeys { get; } = ["started", "repo", "agent", "outcome", "commits", "pr", "ci", "stillgood", "touches", "cost"];

    /// <summary>A session row with the PRs behind it (the keys of its merged PRs feed the distinct count).</summary>
    public sealed record Computed(YieldSessionRow Row, IReadOnlyList<PrLinkRow> Prs, bool StillGoodEligible, int CiPassed, int CiFailed)
    {
        /// <summary>A later commit fixed some of the session's work (a <c>fix</c> touch, at any time).</summary>
        public bool Fixed { get; init; }

        /// <summary>Linked commits whose CI passed on the first try, and those whose first try is known (<see cref="Verdicts.CiFirstPass"/>).</summary>
        public int CiFirstPassed { get; init; }

        public int CiFirstJudged { get; init; }
    }

    /// <summary>
    /// One session's row. Verdicts come from <see cref="Verdicts"/>: still good over the session's fix and revert
    /// touches (and reverts of its PRs) from its reference time; CI from the one roll-up over the runs of its linked
    /// commits and of the commits that judge its PRs; the CI pass rate counts linked commits by their own roll-up.
    /// </summary>
    public static Computed Compute(SessionStatRow stats, IReadOnlyList<PrLinkRow> prs, IReadOnlyCollection<DateTimeOffset> badTouchTimes,
        IReadOnlyCollection<SessionCiRunRow> runs, DateTimeOffset now, int stillGoodDays, bool fixedLater = false)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(prs);
        ArgumentNullException.ThrowIfNull(badTouchTimes);
        ArgumentNullException.ThrowIfNull(runs);
        var merged = prs.Where(p => p.State == "merged" && p.RevertedAt is null).ToList();
        var open = prs.Count(p => p.State == "open");
        var closed = prs.Count(p => p.State == "closed");
        var revertedPrs = prs.Where(p => p.RevertedAt is not null).ToList();
        var anyReverted = revertedPrs.Count > 0 || stats.RevertedCommits > 0;
        var outcome = OutcomeClass.Classify(!string.IsNullOrEmpty(stats.RepoSlug), (int)stats.Commits, merged.Count, open, closed, anyReverted);

        // The work's reference time: when its PR merged, else when its first linked commit was made.
        var mergedTimes = prs.Where(p => p.State == "merged" && p.MergedAt is not null).Select(p => p.MergedAt!.Value).ToList();
        DateTimeOffset? reference = mergedTimes.Count > 0 ? mergedTimes.Min() : stats.FirstCommitTs;
        var badTimes = revertedPrs.Select(p => p.RevertedAt!.Value).Concat(badTouchTimes).ToList();
        if (stats.FirstRevertTs is { } revertCommit)
        {
            badTimes.Add(revertCommit);
        }

        var judged = OutcomeClass.IsJudged(outcome);
        var stillGood = judged ? Verdicts.AsFlag(Verdicts.StillGood(reference, badTimes, now, stillGoodDays)) : null;
        var eligible = stillGood is not null;

        var ci = Verdicts.CiOutcome(runs);
        var commitRuns = runs.Where(r => r.Via == "commit").GroupBy(r => r.CommitSha, StringComparer.OrdinalIgnoreCase).ToList();
        var commitStatuses = commitRuns.Select(g => Verdicts.CiOutcome(g)).ToList();
        var ciPassed = commitStatuses.Count(s => s == "success");
        var ciFailed = commitStatuses.Count(s => s == "failure");
        var firstPasses = commitRuns.Select(g => Verdicts.CiFirstPass(g)).OfType<bool>().ToList();
        var primary = prs
            .OrderBy(p => p.RevertedAt is not null ? 1 : p.State switch { "merged" => 0, "open" => 2, _ => 3 })
            .ThenByDescending(p => p.PrNumber)
            .FirstOrDefault();
        var touches = Math.Max((int)stats.Touches, prs.Count == 0 ? 0 : (int)prs.Max(p => p.DownstreamTouchCount ?? 0));

        var row = new YieldSessionRow
        {
            SessionId = stats.SessionId,
            StartedAt = stats.StartedTs,
            Repo = stats.RepoSlug,
            Agent = stats.Agent,
            Model = stats.Model,
            Title = stats.Title,
            Outcome = outcome,
            Commits = (int)stats.Commits,
            PullRequest = primary is { State: { } state } ? new YieldPr(primary.Provider, primary.RepoSlug, primary.PrNumber, primary.Title, state, primary.MergedAt, primary.RevertedAt, primary.Url) : null,
            PullRequestCount = prs.Select(p => (p.Provider, p.RepoSlug, p.PrNumber)).Distinct().Count(),
            CiStatus = ci,
            StillGood = stillGood,
            DownstreamTouches = touches,
            CostUsd = stats.CostUsd,
        };
        return new Computed(row, prs, eligible, ciPassed, ciFailed)
        {
            Fixed = fixedLater && OutcomeClass.ProducedWork(outcome),
            CiFirstPassed = firstPasses.Count(f => f),
            CiFirstJudged = firstPasses.Count,
        };
    }

    /// <summary>
    /// The sums of a set of sessions. With <paramref name="lines"/> (each session's line figures, when read), the line
    /// survival fields are filled through <see cref="LineSurvival"/>; without, they stay null.
    /// </summary>
    public static YieldTotals Totals(IReadOnlyCollection<Computed> sessions, IReadOnlyDictionary<string, IReadOnlyList<LineOutcome>>? lines = null)
    {
        var byOutcome = OutcomeClass.All.ToDictionary(o => o, _ => 0, StringComparer.Ordinal);
        foreach (var s in sessions)
        {
            byOutcome[s.Row.Outcome]++;
        }

        var cost = sessions.Sum(s => s.Row.CostUsd ?? 0);
        var mergedPrs = MergedPrs(sessions);
        var ciPassed = sessions.Sum(s => s.CiPassed);
        var ciFailed = sessions.Sum(s => s.CiFailed);
        var withWork = sessions.Count(s => OutcomeClass.ProducedWork(s.Row.Outcome));
        var reverted = byOutcome[OutcomeClass.Reverted];
        var eligible = sessions.Count(s => s.StillGoodEligible);
        var good = sessions.Count(s => s.Row.StillGood == true);
        var fixedLater = sessions.Count(s => s.Fixed);
        var firstPassed = sessions.Sum(s => s.CiFirstPassed);
        var firstJudged = sessions.Sum(s => s.CiFirstJudged);
        // Merged PRs of sessions whose work is still good: the work that held up.
        var heldUp = MergedPrs(sessions.Where(s => s.Row.StillGood == true));
        var figures = lines is null ? null
            : LineSurvival.Of(sessions.SelectMany(s => lines.TryGetValue(s.Row.SessionId, out var l) ? l : []).ToList());
        return new YieldTotals
        {
            Sessions = sessions.Count,
            CostUsd = Math.Round(cost, 4),
            CommitsLinked = sessions.Sum(s => s.Row.Commits),
            PrsMerged = mergedPrs,
            CiPassed = ciPassed,
            CiFailed = ciFailed,
            CiPassRate = Rate(ciPassed, ciPassed + ciFailed),
            SessionsWithWork = withWork,
            Reverted = reverted,
            RevertRate = Rate(reverted, withWork),
            StillGoodEligible = eligible,
            StillGood = good,
            StillGoodRate = Rate(good, eligible),
            CostPerMergedPr = mergedPrs == 0 ? null : Math.Round(cost / mergedPrs, 4),
            Fixed = fixedLater,
            FixRate = Rate(fixedLater, withWork),
            CiFirstPassed = firstPassed,
            CiFirstJudged = firstJudged,
            CiFirstPassRate = Rate(firstPassed, firstJudged),
            HeldUpPrs = heldUp,
            HeldUpPrsPer100Usd = cost > 0 ? Math.Round(heldUp * 100 / cost, 4) : null,
            LinesWritten = figures?.LinesWritten,
            LineSurvivalAtHead = figures?.AtHead,
            LineSurvival30d = figures?.After30d,
            ByOutcome = byOutcome,
        };
    }

    /// <summary>Hourly buckets for today, daily up to 92 days, weekly (from Monday) beyond.</summary>
    public static IReadOnlyList<YieldOutcomeBucket> Timeline(IReadOnlyCollection<Computed> sessions, Since period, DateTimeOffset now)
    {
        var started = sessions.Where(s => s.Row.StartedAt is not null).Select(s => s.Row.StartedAt!.Value).ToList();
        if (started.Count == 0)
        {
            return [];
        }

        now = now.ToUniversalTime();
        var from = (period.From ?? started.Min()).ToUniversalTime();
        TimeSpan step;
        Func<DateTimeOffset, DateTimeOffset> floor;
        string format;
        if (period.Name == Since.Today)
        {
            step = TimeSpan.FromHours(1);
            floor = t => new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero);
            format = "HH:00";
        }
        else if (now - from <= TimeSpan.FromDays(92))
        {
            step = TimeSpan.FromDays(1);
            floor = t => new DateTimeOffset(t.Year, t.Month, t.Day, 0, 0, 0, TimeSpan.Zero);
            format = "MMM d";
        }
        else
        {
            step = TimeSpan.FromDays(7);
            floor = t =>
            {
                var day = new DateTimeOffset(t.Year, t.Month, t.Day, 0, 0, 0, TimeSpan.Zero);
                return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
            };
            format = "MMM d yyyy";
        }

        var first = floor(from);
        // A period from a start runs to now; "all time" ends at the newest session, not at today.
        var last = floor(period.From is null ? started.Max() : new[] { now, started.Max() }.Max());
        var buckets = new List<(DateTimeOffset Start, Dictionary<string, int> Counts)>();
        for (var t = first; t <= last && buckets.Count < 2000; t += step)
        {
            buckets.Add((t, OutcomeClass.All.ToDictionary(o => o, _ => 0, StringComparer.Ordinal)));
        }

        foreach (var s in sessions)
        {
            if (s.Row.StartedAt is not { } at)
            {
                continue;
            }

            var index = (int)((floor(at.ToUniversalTime()) - first).Ticks / step.Ticks);
            if (index >= 0 && index < buckets.Count)
            {
                buckets[index].Counts[s.Row.Outcome]++;
            }
        }

        return buckets.Select(b => new YieldOutcomeBucket(b.Start, b.Start.ToString(format, CultureInfo.InvariantCulture), b.Counts)).ToList();
    }

    public static IReadOnlyList<YieldOutcomeCost> CostByOutcome(IReadOnlyCollection<Computed> sessions) =>
        OutcomeClass.All
            .Select(o => new YieldOutcomeCost(o, sessions.Count(s => s.Row.Outcome == o), Math.Round(sessions.Where(s => s.Row.Outcome == o).Sum(s => s.Row.CostUsd ?? 0), 4)))
            .ToList();

    /// <summary>Normalises a sort text to a known key with an optional leading <c>-</c>; unknown → <c>-started</c>.</summary>
    public static string NormalizeSort(string? sort)
    {
        if (string.IsNullOrWhiteSpace(sort))
        {
            return "-started";
        }

        var text = sort.Trim().ToLowerInvariant();
        var key = text.TrimStart('-');
        return SortKeys.Contains(key) ? (text.StartsWith('-') ? "-" : "") + key : "-started";
    }

    public static IEnumerable<YieldSessionRow> Sort(IEnumerable<YieldSessionRow> rows, string sort)
    {
        var descending = sort.StartsWith('-');
        var key = sort.TrimStart('-');
        IOrderedEnumerable<YieldSessionRow> ordered = key switch
        {
            "repo" => Order(rows, r => r.Repo ?? "", descending),
            "agent" => Order(rows, r => r.Agent + "\u0001" + (r.Model ?? ""), descending),
            "outcome" => Order(rows, r => IndexOf(r.Outcome), descending),
            "commits" => Order(rows, r => r.Commits, descending),
            "pr" => Order(rows, r => r.PullRequest?.Number ?? -1, descending),
            "ci" => Order(rows, r => r.CiStatus ?? "", descending),
            "stillgood" => Order(rows, r => r.StillGood switch { true => 2, false => 0, null => 1 }, descending),
            "touches" => Order(rows, r => r.DownstreamTouches, descending),
            "cost" => Order(rows, r => r.CostUsd ?? -1, descending),
            _ => Order(rows, r => r.StartedAt ?? DateTimeOffset.MinValue, descending),
        };
        // Stable tie-break so pages never overlap.
        return ordered.ThenByDescending(r => r.StartedAt ?? DateTimeOffset.MinValue).ThenBy(r => r.SessionId, StringComparer.Ordinal);
    }

    private static IOrderedEnumerable<YieldSessionRow> Order<TKey>(IEnumerable<YieldSessionRow> rows, Func<YieldSessionRow, TKey> key, bool descending) =>
        descending ? rows.OrderByDescending(key) : rows.OrderBy(key);

    private static int IndexOf(string outcome)
    {
        for (var i = 0; i < OutcomeClass.All.Count; i++)
        {
            if (OutcomeClass.All[i] == outcome)
            {
                return i;
            }
        }

        return OutcomeClass.All.Count;
    }

    /// <summary>Distinct PRs the sessions' work merged in (not reverted since).</summary>
    private static int MergedPrs(IEnumerable<Computed> sessions) =>
        sessions.SelectMany(s => s.Prs).Where(p => p.State == "merged" && p.RevertedAt is null)
            .Select(p => (p.Provider, p.RepoSlug, p.PrNumber)).Distinct().Count();

    private static double? Rate(int numerator, int denominator) =>
        denominator == 0 ? null : Math.Round((double)numerator / denominator, 4);
}
