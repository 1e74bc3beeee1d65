using Attribution.Common;
using Attribution.Store;

namespace Attribution.Yield;

/// <summary>
/// The team report (<c>/team</c>, <c>GET /api/team</c>): which agent/model setup gives the most work that holds up per
/// dollar, per repository and per developer, and how each figure moved week by week or month by month. It reads the
/// yield report's computed sessions (one definition of every verdict) plus each session's authors and line outcomes.
/// </summary>
public sealed class TeamService(YieldService yields, YieldStore store, TimeProvider time)
{
    /// <summary>Field errors of a query (empty when valid), keyed by query parameter name.</summary>
    public Dictionary<string, string[]> Validate(TeamQuery query, string periodParameter = "period")
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = yields.Validate(new YieldQuery { Since = query.Since, StillGoodAfterDays = query.StillGoodAfterDays, MinConfidence = query.MinConfidence }, periodParameter);
        if (Blank(query.Bucket) is { } bucket && !TeamCalculator.BucketSizes.Contains(bucket.ToLowerInvariant()))
        {
            errors["bucket"] = [$"Use one of: {string.Join(", ", TeamCalculator.BucketSizes)}."];
        }

        return errors;
    }

    /// <summary>The period of <c>/team</c> and <c>GET /api/team</c> when none is asked: long enough for trends.</summary>
    public const string DefaultPeriod = "90d";

    /// <exception cref="ArgumentException">The query is invalid (see <see cref="Validate"/>).</exception>
    public async Task<TeamReport> GetAsync(TeamQuery query, CancellationToken ct)
    {
        var errors = Validate(query);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value[0]}")), nameof(query));
        }

        var now = time.GetUtcNow();
        var period = Since.Parse(query.Since ?? DefaultPeriod, now)!;
        var filter = new YieldFilter(period.From, Blank(query.Repo) is { } repo ? RepoSlug.Normalize(repo) : null,
            Blank(query.Agent), Blank(query.Model), query.MinConfidence);
        var computed = await yields.SessionsAsync(filter, query.StillGoodAfterDays, ct);
        var authors = (await store.GetSessionAuthorsAsync(filter, ct)).ToLookup(a => a.SessionId, StringComparer.Ordinal);
        var developers = computed.ToDictionary(c => c.Row.SessionId, c => TeamCalculator.DeveloperOf(authors[c.Row.SessionId]), StringComparer.Ordinal);
        if (Blank(query.Developer) is { } developer)
        {
            computed = computed.Where(c => TeamCalculator.Matches(developers[c.Row.SessionId], developer)).ToList();
        }

        IReadOnlyDictionary<string, IReadOnlyList<LineOutcome>> lines = (await store.GetSessionLinesAsync(filter, ct))
            .GroupBy(l => l.SessionId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<LineOutcome>)g.Select(l => l.ToRecord()).ToList(), StringComparer.Ordinal);
        YieldTotals Totals(IEnumerable<YieldCalculator.Computed> sessions) => YieldCalculator.Totals(sessions.ToList(), lines);

        var setups = computed
            .GroupBy(c => (c.Row.Agent, c.Row.Model))
            .Select(g => new YieldGroup(g.Key.Agent, g.Key.Model, Totals(g)))
            .OrderByDescending(g => g.Totals.HeldUpPrsPer100Usd ?? -1).ThenByDescending(g => g.Totals.Sessions)
            .ThenBy(g => g.Agent, StringComparer.Ordinal).ThenBy(g => g.Model, StringComparer.Ordinal)
            .ToList();
        var repos = computed
            .GroupBy(c => c.Row.Repo, StringComparer.Ordinal)
            .Select(g => new TeamRepo(g.Key, Totals(g)))
            .OrderByDescending(r => r.Totals.Sessions).ThenBy(r => r.Repo is null).ThenBy(r => r.Repo, StringComparer.Ordinal)
            .ToList();
        var people = computed
            .GroupBy(c => developers[c.Row.SessionId]?.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var d = developers[g.First().Row.SessionId];
                return new TeamDeveloper(d?.Key, d?.Name, d?.Email, Totals(g));
            })
            .OrderByDescending(d => d.Totals.Sessions).ThenBy(d => d.Key is null).ThenBy(d => d.Key, StringComparer.Ordinal)
            .ToList();

        var started = computed.Where(c => c.Row.StartedAt is not null).ToList();
        IReadOnlyList<TrendBucket> buckets = [];
        var asked = Blank(query.Bucket)?.ToLowerInvariant();
        var size = asked ?? TeamCalculator.Week;
        var trends = new List<TrendSeries>();
        if (started.Count > 0)
        {
            // A period from a start runs to now; "all time" runs from the first session to the last.
            var from = period.From ?? started.Min(c => c.Row.StartedAt!.Value);
            var to = period.From is null ? started.Max(c => c.Row.StartedAt!.Value) : now;
            size = TeamCalculator.BucketSize(asked, from, to);
            buckets = TeamCalculator.Buckets(from, to, size);
            var index = buckets.Select((b, i) => (b.Start, i)).ToDictionary(x => x.Start, x => x.i);
            var byBucket = started.ToLookup(c => index.TryGetValue(TeamCalculator.Floor(c.Row.StartedAt!.Value, size), out var i) ? i : -1);
            TrendSeries Series(string? agent, string? model, Func<YieldCalculator.Computed, bool> member) =>
                new(agent, model, buckets.Select((_, i) => Totals(byBucket[i].Where(member))).ToList());
            trends.Add(Series(null, null, _ => true));
            trends.AddRange(setups.Select(s => Series(s.Agent, s.Model, c => c.Row.Agent == s.Agent && c.Row.Model == s.Model)));
        }

        return new TeamReport
        {
            Period = period.Name,
            Since = period.From,
            GeneratedAt = now,
            Repo = filter.Repo,
            Developer = Blank(query.Developer),
            Agent = filter.Agent,
            Model = filter.Model,
            Bucket = size,
            StillGoodAfterDays = query.StillGoodAfterDays,
            MinConfidence = query.MinConfidence,
            Totals = Totals(computed),
            Setups = setups,
            Repos = repos,
            Developers = people,
            Buckets = buckets,
            Trends = trends,
        };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
