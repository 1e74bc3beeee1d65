using Attribution.Linking.Outcomes;
using Attribution.Reports;
using Attribution.Store;
using Microsoft.Extensions.Options;
using Attribution.Common;

namespace Attribution.Stages;

/// <summary>Builds stage reports (CLI, API and the /providers page share it) and records stages by hand.</summary>
public sealed class PrStageService(StageStore store, IOptions<StageOptions> options, PullRequestOutcomes outcomes, IStagePricer pricer)
{
    private readonly ProviderFamilies _families = new(options.Value.Families);

    public ProviderFamilies Families => _families;

    /// <summary>The report of one PR, or null when nothing is recorded or known of it.</summary>
    public async Task<PrStageReport?> GetAsync(string repo, int number, CancellationToken cancellationToken)
    {
        var recorded = await store.GetRecordedAsync(repo, number, cancellationToken);
        var graph = await store.LoadGraphAsync(repo, number, cancellationToken);
        var derived = graph is null ? [] : StageDerivation.Derive(graph);
        if (recorded is null && (graph is null || (graph.Pr.State is null && derived.Count == 0)))
        {
            return null;
        }

        var sessions = new Dictionary<string, StageSession>(graph?.Sessions ?? new Dictionary<string, StageSession>(), StringComparer.Ordinal);
        var recordedIds = recorded?.Entries.Select(e => e.SessionId).OfType<string>().Where(id => !sessions.ContainsKey(id)).ToList() ?? [];
        foreach (var (id, session) in await store.LoadSessionsAsync(recordedIds, cancellationToken))
        {
            sessions[id] = session;
        }

        var report = Build(repo, number, recorded, graph?.Pr, derived, sessions);
        var figures = graph?.Pr.State is null || report.Repo is null
            ? null
            : await outcomes.GetAsync(report.Provider, report.Repo, number, options.Value.StillGoodAfterDays, cancellationToken);
        return report with { Outcome = figures };
    }

    /// <summary>Reports of recent PRs with something to show, and per-provider totals across them.</summary>
    public async Task<PrStageOverview> ListAsync(string? repo, int limit, CancellationToken cancellationToken)
    {
        var reports = new List<PrStageReport>();
        foreach (var (prRepo, number) in await store.ListPrsAsync(repo, limit, cancellationToken))
        {
            if (await GetAsync(prRepo, number, cancellationToken) is { } report)
            {
                reports.Add(report);
            }
        }

        var totals = new List<ProviderTotals>();
        var days = options.Value.StillGoodAfterDays;
        var stillGood = reports.ToDictionary(r => (r.Repo, r.Number), r => r.Outcome?.StillGood);

        foreach (var provider in reports.SelectMany(r => r.Stages).SelectMany(s => s.Providers).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var prs = reports.Where(r => r.Stages.Any(s => s.Providers.Contains(provider))).ToList();
            int Count(string stage) => prs.Count(r => r.Stages.Any(s => s.Stage == stage && s.Providers.Contains(provider)));
            var cost = CostFigureOfEntries(prs.SelectMany(r => r.Stages).SelectMany(s => s.Entries).Where(e => e.Shown && e.Provider == provider));
            var withOutcome = prs.Where(r => r.State is not null).ToList();
            var merged = withOutcome.Count(r => r.State == "merged");
            var eligible = prs.Where(r => stillGood[(r.Repo, r.Number)] is not null).ToList();
            totals.Add(new ProviderTotals(
                provider, prs.Count, Count("review"), Count("implementation"), Count("integration"), cost, merged,
                withOutcome.Count == 0 ? null : Math.Round((double)merged / withOutcome.Count, 3),
                eligible.Count,
                eligible.Count == 0 ? null : Math.Round((double)eligible.Count(r => stillGood[(r.Repo, r.Number)] == true) / eligible.Count, 3)));
        }

        return new PrStageOverview(reports, totals, days);
    }

    /// <summary>Records PR facts and stages by hand (incrementally: what is not given stays as it was).</summary>
    public Task RecordAsync(string repo, int number, RecordedPrFacts facts, IReadOnlyList<RecordedStageEntry> entries, CancellationToken cancellationToken) =>
        store.RecordAsync(repo, number, facts, entries, cancellationToken);

    /// <summary>The provider family of a session already in the store, or null when it is unknown.</summary>
    public async Task<string?> ProviderOfSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        var sessions = await store.LoadSessionsAsync([sessionId], cancellationToken);
        return sessions.TryGetValue(sessionId, out var session) ? _families.Of(session.Agent, session.Model) : null;
    }

    /// <summary>Repositories that have a PR with this number (to resolve a PR given without --repo).</summary>
    public Task<IReadOnlyList<string>> ReposWithPrAsync(int number, CancellationToken cancellationToken) => store.ReposWithPrAsync(number, cancellationToken);

    private PrStageReport Build(string repo, int number, RecordedPr? recorded, StagePr? pr, IReadOnlyList<DerivedStageEntry> derived, IReadOnlyDictionary<string, StageSession> sessions)
    {
        var sections = new List<StageSection>();
        var shownSessions = new List<string?>();
        foreach (var stage in Enum.GetValues<PrStage>())
        {
            var mine = recorded?.Entries.Where(e => e.Stage == stage).ToList() ?? [];
            var auto = derived.Where(d => d.Stage == stage).ToList();
            var shows = mine.Count > 0 ? "recorded" : auto.Count > 0 ? "derived" : "none";
            var entries = new List<StageEntryView>();
            entries.AddRange(mine.Select(e => new StageEntryView("recorded", e.Provider, e.SessionId, null, CostOf(e.SessionId, sessions), shows == "recorded", null)));
            entries.AddRange(auto.Select(d => new StageEntryView(
                "derived", ProviderOf(d.SessionId, sessions), d.SessionId, d.Confidence, CostOf(d.SessionId, sessions), shows == "derived", d.Evidence)));
            var shown = entries.Where(e => e.Shown).ToList();
            var providers = shown.Select(e => e.Provider).Distinct(StringComparer.Ordinal).ToList();
            var derivedProviders = auto.Select(d => ProviderOf(d.SessionId, sessions)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            string? note = null;
            if (shows == "recorded" && derivedProviders.Count > 0 && !derivedProviders.SequenceEqual(providers.Order(StringComparer.Ordinal)))
            {
                note = $"recorded {string.Join(", ", providers)}; evidence says {string.Join(", ", derivedProviders)}; showing recorded";
            }

            var stageSessions = shown.Select(e => e.SessionId).ToList();
            shownSessions.AddRange(stageSessions);
            sections.Add(new StageSection(
                PrStageNames.Name(stage), shows, providers,
                stageSessions.OfType<string>().Distinct(StringComparer.Ordinal).ToList(),
                entries, CostFigure.Of(stageSessions, sessions), note));
        }

        var lastUpdated = new[] { recorded?.UpdatedTs }.Concat(recorded?.Entries.Select(e => e.RecordedTs) ?? []).Max();
        return new PrStageReport(
            repo.Length == 0 ? null : repo, number,
            recorded?.Title ?? pr?.Title,
            recorded?.Branch ?? pr?.HeadRef,
            recorded?.CreatedBy ?? pr?.Author,
            recorded?.Status ?? (pr?.State == "merged" ? "completed" : "pending"),
            pr?.Provider ?? "github", pr?.State, pr?.MergedAt, pr?.Url,
            sections,
            CostFigure.Of(shownSessions, sessions),
            StageCosts.Counterfactual(shownSessions, sessions, _families, pricer.Price),
            lastUpdated);
    }

    private string ProviderOf(string sessionId, IReadOnlyDictionary<string, StageSession> sessions) =>
        sessions.TryGetValue(sessionId, out var session) ? _families.Of(session.Agent, session.Model) : "unknown";

    private static double? CostOf(string? sessionId, IReadOnlyDictionary<string, StageSession> sessions) =>
        sessionId is not null && sessions.TryGetValue(sessionId, out var session) ? session.CostUsd : null;

    /// <summary>Cost of entries: each session once; each entry without a session is one unknown.</summary>
    private static CostFigure CostFigureOfEntries(IEnumerable<StageEntryView> entries)
    {
        var list = entries.ToList();
        var bySession = list.Where(e => e.SessionId is not null).DistinctBy(e => e.SessionId);
        return CostFigure.Sum(list.Where(e => e.SessionId is null).Concat(bySession).Select(e => e.CostUsd));
    }
}
