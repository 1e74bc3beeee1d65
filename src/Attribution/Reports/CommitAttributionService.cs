using System.Text.Json;
using Attribution.Reports;
using Attribution.Store;

namespace Attribution.Reports;

/// <summary>Builds the commit document of CONTRACT §6 for every surface (HTTP, CLI, MCP).</summary>
public sealed class CommitAttributionService(
    AttributionQueryStore store, TimeProvider time, DecisionStore decisions, RecordedStore? recorded = null, DownstreamStore? downstream = null)
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

        var matches = await store.FindCommitsAsync(sha!, repo, MaxCandidates + 1, cancellationToken);
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

        return CommitLookup.Found(await BuildAsync(matches[0], minConfidence, cancellationToken));
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

    private async Task<CommitAttributionDocument> BuildAsync(CommitRow commit, double minConfidence, CancellationToken cancellationToken)
    {
        // Reverts named by their message count even before the engine classified them (same window as touches).
        var graph = await store.GetCommitGraphAsync(commit.RepoSlug, commit.Sha, DownstreamTargets.CommitKinds, DownstreamTargets.CommitKeys(commit.Sha),
            commit.CommitterTs is { } committerTs ? (committerTs, committerTs.AddDays(DownstreamWindowDays)) : null, cancellationToken);
        var links = graph.Links;
        var pullRequests = graph.PullRequests;
        var ciRuns = graph.CiRuns;
        var committedAt = commit.CommitterTs ?? commit.AuthorTs;
        var touches = graph.Touches.Concat(graph.Reverts).ToList();

        var sessions = links
            .Where(l => l.Confidence >= minConfidence)
            .OrderByDescending(l => l.Confidence).ThenBy(l => l.LinkType == "authored" ? 0 : 1).ThenBy(l => l.SessionId, StringComparer.Ordinal)
            .Select(l => new CommitSessionItem(l.SessionId, l.Agent, l.Model, l.LinkType, l.Confidence, l.CostUsd, ParseEvidence(l.EvidenceJson)))
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
            PullRequests: pullRequests.Select(p => new CommitPullRequestItem(p.Provider, p.RepoSlug, p.PrNumber, p.Title, p.State, p.MergedAt, p.Url)).ToList(),
            CiRuns: ciRuns.Select(r => new CommitCiRunItem(r.Provider, r.RunId, r.Status, r.WorkflowName, r.CompletedTs)).ToList(),
            Downstream: await WithLinesAsync(DownstreamDocuments.Of(committedAt, touches, time.GetUtcNow()), commit, cancellationToken),
            Summary: AttributionSummaries.Commit(commit.Agent, commit.AgentModel, sessions),
            Decisions: await DecisionsAsync(commit.RepoSlug, commit.Sha, pullRequests.Select(p => (long)p.PrNumber), cancellationToken),
            AiLines: recorded is null ? null : await recorded.AiLinesAsync(commit.RepoSlug, commit.Sha, cancellationToken) is { } ai
                ? new CommitAiLinesItem(ai.Source, ai.AiLines, ai.AddedLines, ai.AddedLines == 0 ? null : Math.Round((double)ai.AiLines / ai.AddedLines, 4))
                : null);
    }

    /// <summary>The line figures and per-touch lines the engine stored for the commit, added to its downstream counts.</summary>
    private async Task<DownstreamDocument> WithLinesAsync(DownstreamDocument counts, CommitRow commit, CancellationToken cancellationToken)
    {
        if (downstream is null)
        {
            return counts;
        }

        var keys = DownstreamTargets.CommitKeys(commit.Sha);
        var touches = await downstream.TouchesOfAsync(commit.RepoSlug, Linking.DownstreamCalculator.CommitTarget, keys, cancellationToken);
        var items = touches.Select(t => new DownstreamTouchItem(t.TouchSha, t.Classification, t.TouchedTs, t.LinesChanged)).ToList();
        if ((await downstream.LineOutcomesAsync(commit.RepoSlug, Linking.DownstreamCalculator.CommitTarget, keys, cancellationToken)).FirstOrDefault() is not { } outcome)
        {
            return counts with { Touches = items };
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
            Touches = items,
        };
    }

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
