using System.Text.Json;
using Attribution.Common;
using Attribution.Reports;
using Attribution.Store;

namespace Attribution.Reports;

/// <summary>Builds the commit document of CONTRACT §6 for every surface (HTTP, CLI, MCP).</summary>
public sealed class CommitAttributionService(
    AttributionQueryStore store, TimeProvider time, DecisionStore decisions, RecordedStore? recorded = null, DownstreamStore? downstream = null, ReadCache? cache = null)
{
    /// <summary>Links below this confidence are not shown unless the caller asks (CONTRACT §6).</summary>
    public const double DefaultMinConfidence = Linking.Outcomes.Verdicts.DefaultMinConfidence;

    /// <summary>The downstream window of CONTRACT §6: later commits within 30 days count as touches.</summary>
    public const int DownstreamWindowDays = 30;

    /// <summary>At most this many candidates are listed for an ambiguous abbreviation.</summary>
    public const int MaxCandidates = 10;

    public async Task<CommitLookup> GetAsync(string? sha, string? repo, double minConfidence, CancellationToken cancellationToken)
    {
        var invalid = Validate(sha, repo, minConfidence);
        if (invalid is not null)
        {
            return CommitLookup.Invalid(invalid);
        }

        // One kept answer per question: a cached document costs one stamp read, not one per query.
        var facts = await cache.LoadAsync($"commit-document\n{sha!.ToLowerInvariant()}\n{repo}", () => ReadFactsAsync(sha!, repo, cancellationToken), cancellationToken);
        var matches = facts.Matches;
        var scope = repo is null ? "" : $" in {RepoSlug.Normalize(repo)}";
        if (matches.Count == 0)
        {
            return CommitLookup.NotFound($"unknown commit {sha!.ToLowerInvariant()}{scope}");
        }

        if (matches.Count > 1)
        {
            var what = sha!.Length == ShaText.FullLength ? "is known in several repositories" : "is ambiguous";
            var count = matches.Count > MaxCandidates
                ? $"more than {MaxCandidates} candidates (first {MaxCandidates} shown)"
                : $"{matches.Count} candidates";
            return CommitLookup.Ambiguous(
                $"commit {sha.ToLowerInvariant()}{scope} {what}: {count}; give more of the sha, or the repository",
                matches.Take(MaxCandidates).Select(m => new CommitCandidate(m.RepoSlug, m.Sha, m.Subject)).ToList());
        }

        return CommitLookup.Found(Build(matches[0], facts.Found!, minConfidence, time.GetUtcNow()));
    }

    /// <summary>Null when the question is well-formed, else the reason.</summary>
    public static string? Validate(string? sha, string? repo, double minConfidence)
    {
        if (!ShaText.IsValid(sha))
        {
            return ShaText.Rule;
        }

        if (repo is not null && !RepoSlug.IsValid(repo))
        {
            return "repo must be owner/name.";
        }

        return double.IsNaN(minConfidence) || minConfidence < 0 || minConfidence > 1
            ? "minConfidence must be a number from 0 to 1."
            : null;
    }

    /// <summary>
    /// What the document of a question is built from, all of which only a write can change: the commits the sha names
    /// and, for a single one, its graph with parsed evidence, line facts, decisions and AI lines. Time-dependent parts
    /// (verdict windows) are computed from it per request.
    /// </summary>
    private sealed record CommitFacts(IReadOnlyList<CommitRow> Matches, FoundCommitFacts? Found);

    private sealed record FoundCommitFacts(
        CommitGraphRows Graph,
        IReadOnlyList<JsonElement> Evidence,
        IReadOnlyList<DownstreamTouch>? LineTouches,
        LineOutcome? Outcome,
        IReadOnlyList<CommitDecisionItem> Decisions,
        CommitAiLines? AiLines);

    private async Task<CommitFacts> ReadFactsAsync(string sha, string? repo, CancellationToken cancellationToken)
    {
        var matches = await store.FindCommitsAsync(sha, repo, MaxCandidates + 1, cancellationToken);
        if (matches.Count != 1)
        {
            return new CommitFacts(matches, null);
        }

        var commit = matches[0];
        // Reverts named by their message count even before the engine classified them (same window as touches).
        var graph = await store.GetCommitGraphAsync(commit.RepoSlug, commit.Sha, DownstreamTargets.CommitKinds, DownstreamTargets.CommitKeys(commit.Sha),
            commit.CommitterTs is { } committerTs ? (committerTs, committerTs.AddDays(DownstreamWindowDays)) : null, cancellationToken);
        var keys = DownstreamTargets.CommitKeys(commit.Sha);
        var lineTouches = downstream is null ? null : await downstream.TouchesOfAsync(commit.RepoSlug, Linking.DownstreamCalculator.CommitTarget, keys, cancellationToken);
        var outcome = downstream is null ? null
            : (await downstream.LineOutcomesAsync(commit.RepoSlug, Linking.DownstreamCalculator.CommitTarget, keys, cancellationToken)).FirstOrDefault();
        return new CommitFacts(matches, new FoundCommitFacts(
            graph,
            graph.Links.Select(l => ParseEvidence(l.EvidenceJson)).ToList(),
            lineTouches,
            outcome,
            await DecisionsAsync(commit.RepoSlug, commit.Sha, graph.PullRequests.Select(p => (long)p.PrNumber), cancellationToken),
            recorded is null ? null : await recorded.AiLinesAsync(commit.RepoSlug, commit.Sha, cancellationToken)));
    }

    private static CommitAttributionDocument Build(CommitRow commit, FoundCommitFacts facts, double minConfidence, DateTimeOffset now)
    {
        var graph = facts.Graph;
        var committedAt = commit.CommitterTs ?? commit.AuthorTs;
        var touches = graph.Touches.Concat(graph.Reverts).ToList();

        var sessions = graph.Links
            .Select((l, i) => (Link: l, Evidence: facts.Evidence[i]))
            .Where(x => x.Link.Confidence >= minConfidence)
            .OrderByDescending(x => x.Link.Confidence).ThenBy(x => x.Link.LinkType == "authored" ? 0 : 1).ThenBy(x => x.Link.SessionId, StringComparer.Ordinal)
            .Select(x => new CommitSessionItem(x.Link.SessionId, x.Link.Agent, x.Link.Model, x.Link.LinkType, x.Link.Confidence, x.Link.CostUsd, x.Evidence))
            .ToList();

        // The commit's own marker wins; else the strongest shown session tells agent and model.
        var best = sessions.FirstOrDefault();
        var agent = commit.Agent ?? best?.Agent;
        var model = commit.AgentModel
            ?? (best is not null && (commit.Agent is null || string.Equals(commit.Agent, best.Agent, StringComparison.OrdinalIgnoreCase)) ? best.Model : null);

        return new CommitAttributionDocument(
            Repo: commit.RepoSlug,
            Sha: commit.Sha,
            Subject: commit.Subject,
            CommittedAt: committedAt,
            Agent: agent,
            Model: model,
            Sessions: sessions,
            PullRequests: graph.PullRequests.Select(p => new CommitPullRequestItem(p.Provider, p.RepoSlug, p.PrNumber, p.Title, p.State, p.MergedAt, p.Url)).ToList(),
            CiRuns: graph.CiRuns.Select(r => new CommitCiRunItem(r.Provider, r.RunId, r.Status, r.WorkflowName, r.CompletedTs)).ToList(),
            Downstream: WithLines(DownstreamDocuments.Of(committedAt, touches, now), facts),
            Summary: AttributionSummaries.Commit(commit.Agent, commit.AgentModel, sessions),
            Decisions: facts.Decisions,
            AiLines: facts.AiLines is { } ai
                ? new CommitAiLinesItem(ai.Source, ai.AiLines, ai.AddedLines, ai.AddedLines == 0 ? null : Math.Round((double)ai.AiLines / ai.AddedLines, 4))
                : null);
    }

    /// <summary>The line figures and per-touch lines the engine stored for the commit, added to its downstream counts.</summary>
    private static DownstreamDocument WithLines(DownstreamDocument counts, FoundCommitFacts facts)
    {
        if (facts.LineTouches is not { } lineTouches)
        {
            return counts;
        }

        if (facts.Outcome is not { } outcome)
        {
            return counts with { Touches = Items(lineTouches) };
        }

        var figures = Linking.LineSurvival.Of([outcome]);
        return counts with
        {
            LinesWritten = outcome.LinesWritten,
            LinesAtHead = outcome.LinesAtHead,
            LinesAfter14d = outcome.LinesAfter14d,
            LinesAfter30d = outcome.LinesAfter30d,
            SurvivalAtHead = figures.AtHead,
            Survival14d = figures.After14d,
            Survival30d = figures.After30d,
            LinesRewrittenByOthers = outcome.LinesRewrittenByOthers,
            Touches = Items(lineTouches),
        };
    }

    private static List<DownstreamTouchItem> Items(IReadOnlyList<DownstreamTouch> touches) =>
        touches.Select(t => new DownstreamTouchItem(t.TouchSha, t.Classification, t.TouchedTs, t.LinesChanged)).ToList();

    private async Task<IReadOnlyList<CommitDecisionItem>> DecisionsAsync(string repo, string sha, IEnumerable<long> prNumbers, CancellationToken cancellationToken)
    {
        var found = new List<DecisionRecord>(await decisions.ListForCommitAsync(repo, sha, cancellationToken));
        foreach (var number in prNumbers.Distinct())
        {
            found.AddRange(await decisions.ListForPrAsync(repo, number, cancellationToken));
        }

        return found.DistinctBy(d => d.Id)
            .Select(d => new CommitDecisionItem(d.Id, d.Summary, d.Confidence, d.Category, d.FilePath, d.Line, d.PrNumber, d.Outcome, d.OutcomeReason))
            .ToList();
    }

    /// <summary>Evidence is shown as stored; text that is not JSON is kept as a JSON string rather than dropped.</summary>
    public static JsonElement ParseEvidence(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return JsonSerializer.SerializeToElement(new Dictionary<string, object>());
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(json);
        }
    }
}
