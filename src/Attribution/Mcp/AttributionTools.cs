using System.ComponentModel;
using Attribution.Api;
using Attribution.Yield;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace Attribution.Mcp;

/// <summary>
/// The MCP tools: each answers the same JSON document as its API endpoint; what the API answers as a
/// 4xx problem is a tool error carrying the same message.
/// </summary>
[McpServerToolType]
public sealed class AttributionTools(CommitAttributionService commits, SessionAttributionService sessions, OutcomeListService lists, YieldService yields)
{
    [McpServerTool(Name = "attribute_commit", ReadOnly = true, Idempotent = true)]
    [Description("Which agent session produced a commit (links with confidence >= 0.5), its PRs, CI runs and later fixes/reverts. Same document as GET /api/attribution/commit/{sha}.")]
    public async Task<string> AttributeCommitAsync(
        [Description("Commit sha, full or abbreviated (7-40 hex).")] string sha,
        [Description("Repository owner/name, to narrow an abbreviation.")] string? repo = null,
        CancellationToken cancellationToken = default)
    {
        var lookup = await commits.GetAsync(sha, string.IsNullOrWhiteSpace(repo) ? null : repo, CommitAttributionService.DefaultMinConfidence, cancellationToken);
        if (lookup.Outcome == LookupOutcome.Ambiguous)
        {
            var candidates = string.Join("; ", lookup.Candidates!.Select(c => $"{c.Repo} {c.Sha} {c.Subject}".TrimEnd()));
            throw new McpException($"{lookup.Message}. Candidates: {candidates}");
        }

        return lookup.Outcome == LookupOutcome.Found ? DocumentJson.Serialize(lookup.Document!) : throw new McpException(lookup.Message);
    }

    [McpServerTool(Name = "attribute_session", ReadOnly = true, Idempotent = true)]
    [Description("What an agent session produced: commits, PRs with CI status and downstream touches, tokens and cost. Same document as GET /api/attribution/session/{id}.")]
    public async Task<string> AttributeSessionAsync(
        [Description("Session id (the agent's own).")] string id,
        CancellationToken cancellationToken = default)
    {
        var document = await sessions.GetAsync(id, CommitAttributionService.DefaultMinConfidence, cancellationToken)
            ?? throw new McpException($"unknown session {id}");
        return DocumentJson.Serialize(document);
    }

    // MCP argument names are snake_case by the contract, so the parameters are too.
#pragma warning disable CA1707
    [McpServerTool(Name = "get_pr_outcomes", ReadOnly = true, Idempotent = true)]
    [Description("Pull/merge request outcomes of a repository, newest first (at most 100). Same rows as GET /api/pr-outcomes.")]
    public async Task<string> GetPrOutcomesAsync(
        [Description("Repository owner/name.")] string repo,
        [Description("open, merged or closed.")] string? state = null,
        [Description("A duration back from now (30d, 12h) or an ISO date.")] string? since = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(repo))
        {
            throw new McpException("repo must be owner/name.");
        }

        var answer = await lists.ListPrOutcomesAsync(repo, state, since, null, cancellationToken);
        return answer.Errors is null ? DocumentJson.Serialize(answer.Items) : throw new McpException(answer.ErrorText);
    }

    [McpServerTool(Name = "get_ci_runs", ReadOnly = true, Idempotent = true)]
    [Description("CI runs, newest first (at most 100), optionally of one commit and/or with one status. Same rows as GET /api/ci-runs.")]
    public async Task<string> GetCiRunsAsync(
        [Description("Commit sha, full or a 7+ hex prefix.")] string? commit_sha = null,
        [Description("success, failure, cancelled, in_progress, pending or skipped.")] string? status = null,
        CancellationToken cancellationToken = default)
    {
        var answer = await lists.ListCiRunsAsync(null, commit_sha, status, null, cancellationToken);
        return answer.Errors is null ? DocumentJson.Serialize(answer.Items) : throw new McpException(answer.ErrorText);
    }

    [McpServerTool(Name = "get_yield", ReadOnly = true, Idempotent = true)]
    [Description("Per-session outcomes and per agent/model totals (sessions, cost, commits linked, PRs merged, CI pass rate, revert rate, still-good rate, cost per merged PR). Same document as GET /api/yield.")]
    public async Task<string> GetYieldAsync(
        [Description("today, 7d, 30d, all, or a number of days like 90d (default 30d).")] string? since = null,
        [Description("Repository owner/name.")] string? repo = null,
        [Description("Agent, e.g. claude-code or codex.")] string? agent = null,
        CancellationToken cancellationToken = default)
    {
        var query = new YieldQuery { Since = since ?? "30d", Repo = repo, Agent = agent };
        var errors = YieldService.Validate(query);
        if (errors.Count > 0)
        {
            throw new McpException(string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value[0]}")));
        }

        return DocumentJson.Serialize(await yields.GetAsync(query, cancellationToken));
    }
#pragma warning restore CA1707
}
