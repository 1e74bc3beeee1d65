using System.Collections.Concurrent;
using Attribution.Common;
using Attribution.Hosting;
using Attribution.Store;
using Microsoft.Extensions.Options;

namespace Attribution.Yield;

/// <summary>
/// The yield report behind <c>/yield</c>, <c>GET /api/yield</c> and the MCP <c>get_yield</c> tool: which
/// sessions shipped work that held up, per session and per agent/model.
/// </summary>
public sealed class YieldService(YieldStore store, TimeProvider time, ChangeSignal changes, PassSignal passes, IOptions<YieldOptions> options)
{
    public const int MaxPageSize = 500;
    private const int MaxCachedFilters = 64;

    // Per filter: the computed sessions, when they were computed and the change version they saw.
    private readonly ConcurrentDictionary<(YieldFilter Filter, int StillGoodDays), Cached> _cache = new();

    private sealed record Cached(DateTimeOffset At, (long Changes, long Passes) Version, IReadOnlyList<YieldCalculator.Computed> Sessions);

    /// <summary>Field errors of a query (empty when valid), keyed by query parameter name.</summary>
    public Dictionary<string, string[]> Validate(YieldQuery query, string periodParameter = "since")
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!Since.TryParse(query.Since ?? YieldQuery.DefaultPeriod, time.GetUtcNow(), out _, out var sinceError))
        {
            errors[periodParameter] = [sinceError];
        }

        if (!string.IsNullOrWhiteSpace(query.Outcome) && !OutcomeClass.All.Contains(query.Outcome.Trim().ToLowerInvariant()))
        {
            errors["outcome"] = [$"Use one of: {string.Join(", ", OutcomeClass.All)}."];
        }

        if (query.Page < 1)
        {
            errors["page"] = ["Must be 1 or more."];
        }

        if (query.PageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"Must be between 1 and {MaxPageSize}."];
        }

        if (query.StillGoodAfterDays is < 1 or > 365)
        {
            errors["stillGoodDays"] = ["Must be between 1 and 365."];
        }

        if (query.MinConfidence is < 0 or > 1 || double.IsNaN(query.MinConfidence))
        {
            errors["minConfidence"] = ["Must be between 0 and 1."];
        }

        return errors;
    }

    /// <exception cref="ArgumentException">The query is invalid (see <see cref="Validate"/>).</exception>
    public async Task<YieldReport> GetAsync(YieldQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = Validate(query);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value[0]}")), nameof(query));
        }

        var now = time.GetUtcNow();
        var period = Since.Parse(query.Since ?? YieldQuery.DefaultPeriod, now)
            ?? throw new ArgumentException("since: " + Since.Rule, nameof(query));
        var filter = new YieldFilter(period.From, Blank(query.Repo) is { } repo ? RepoSlug.Normalize(repo) : null,
            Blank(query.Agent), Blank(query.Model), query.MinConfidence);

        var computed = await ComputeAsync(filter, query.StillGoodAfterDays, now, ct);

        var groups = computed
            .GroupBy(c => (c.Row.Agent, c.Row.Model))
            .Select(g => new YieldGroup(g.Key.Agent, g.Key.Model, YieldCalculator.Totals(g.ToList())))
            .OrderByDescending(g => g.Totals.Sessions).ThenBy(g => g.Agent, StringComparer.Ordinal).ThenBy(g => g.Model, StringComparer.Ordinal)
            .ToList();

        var sort = YieldCalculator.NormalizeSort(query.Sort);
        var outcome = Blank(query.Outcome)?.ToLowerInvariant();
        var rows = computed.Select(c => c.Row).Where(r => outcome is null || r.Outcome == outcome).ToList();
        var page = YieldCalculator.Sort(rows, sort)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize).ToList();

        return new YieldReport
        {
            Period = period.Name,
            Since = period.From,
            GeneratedAt = now,
            Repo = filter.Repo,
            Agent = filter.Agent,
            Model = filter.Model,
            Sort = sort,
            StillGoodAfterDays = query.StillGoodAfterDays,
            MinConfidence = query.MinConfidence,
            Totals = YieldCalculator.Totals(computed),
            Groups = groups,
            Timeline = YieldCalculator.Timeline(computed, period, now),
            CostByOutcome = YieldCalculator.CostByOutcome(computed),
            Sessions = page,
            Page = query.Page,
            PageSize = query.PageSize,
            Outcome = outcome,
            TotalSessions = rows.Count,
        };
    }

    private async Task<IReadOnlyList<YieldCalculator.Computed>> ComputeAsync(YieldFilter filter, int stillGoodDays, DateTimeOffset now, CancellationToken ct)
    {
        // "Since" moves with the clock; the cache key uses the period's start rounded to the minute.
        var key = (filter with { Since = filter.Since is { } since ? new DateTimeOffset(since.Ticks - (since.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero) : null }, stillGoodDays);
        var ttl = TimeSpan.FromSeconds(Math.Max(0, options.Value.CacheSeconds));
        // New data or a finished attribution pass (new links, touches) makes a cached computation stale.
        var version = (changes.Version, passes.Version);
        if (ttl > TimeSpan.Zero && _cache.TryGetValue(key, out var hit) && hit.Version == version && now - hit.At < ttl && now >= hit.At)
        {
            return hit.Sessions;
        }

        var computed = await LoadAsync(filter, stillGoodDays, now, ct);

        if (ttl > TimeSpan.Zero)
        {
            if (_cache.Count >= MaxCachedFilters)
            {
                _cache.Clear();
            }

            _cache[key] = new Cached(now, version, computed);
        }

        return computed;
    }

    /// <summary>The computed sessions a filter selects (cached as the yield report's): the one read path of session figures.</summary>
    public async Task<IReadOnlyList<YieldCalculator.Computed>> SessionsAsync(YieldFilter filter, int stillGoodDays, CancellationToken ct) =>
        await ComputeAsync(filter, stillGoodDays, time.GetUtcNow(), ct);

    /// <summary>One session's yield row (outcome, CI, still good), or null when the session is unknown.</summary>
    public async Task<YieldSessionRow?> GetSessionAsync(string sessionId, int stillGoodAfterDays, double minConfidence, CancellationToken ct)
    {
        var filter = new YieldFilter(null, null, null, null, minConfidence) { SessionId = sessionId };
        return (await LoadAsync(filter, stillGoodAfterDays, time.GetUtcNow(), ct)).SingleOrDefault()?.Row;
    }

    // The one read path of session figures: the store's aggregates, PRs, bad touch times and CI runs, judged by YieldCalculator.
    private async Task<List<YieldCalculator.Computed>> LoadAsync(YieldFilter filter, int stillGoodDays, DateTimeOffset now, CancellationToken ct)
    {
        var stats = await store.GetSessionStatsAsync(filter, ct);
        if (stats.Count == 0)
        {
            return [];
        }

        var prs = (await store.GetSessionPrsAsync(filter, ct)).ToLookup(p => p.SessionId, StringComparer.Ordinal);
        var bad = (await store.GetSessionBadTouchesAsync(filter, ct)).ToLookup(b => b.SessionId, StringComparer.Ordinal);
        var runs = (await store.GetSessionCiRunsAsync(filter, ct)).ToLookup(r => r.SessionId, StringComparer.Ordinal);
        return stats
            .Select(s => YieldCalculator.Compute(s, prs[s.SessionId].ToList(), bad[s.SessionId].Select(b => b.TouchedTs).Distinct().ToList(), runs[s.SessionId].ToList(), now, stillGoodDays,
                fixedLater: bad[s.SessionId].Any(b => b.Classification == Linking.Outcomes.Verdicts.Fix)))
            .ToList();
    }

    public async Task<YieldFilterOptions> GetFilterOptionsAsync(CancellationToken ct)
    {
        var (repos, agents, models) = await store.GetFilterOptionsAsync(ct);
        return new YieldFilterOptions(repos, agents, models);
    }

    public Task<bool> HasAnyDataAsync(CancellationToken ct) => store.HasAnyDataAsync(ct);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
