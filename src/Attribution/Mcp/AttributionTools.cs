using System.ComponentModel;
using Attribution.Api;
using Attribution.Reports;
using Attribution.Store;
using Attribution.Yield;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Attribution.Mcp;

/// <summary>
/// The MCP tools: each answers the same JSON document as its API endpoint; what the API answers as a
/// 4xx problem is a tool error whose text is the API's message. Arguments are checked against each tool's
/// schema before it runs (<see cref="ToolArgumentCheck"/>).
/// </summary>
[McpServerToolType]
public sealed class AttributionTools(
    CommitAttributionService commits, SessionAttributionService sessions, OutcomeListService lists, YieldService yields, RecentService recent)
{
    [McpServerTool(Name = "attribute_commit", ReadOnly = true, Idempotent = true)]
    [Description("Which agent session produced a commit (links with confidence >= 0.5), its PRs, CI runs and later fixes/reverts. Same document as GET /api/attribution/commit/{sha}.")]
    public async Task<CallToolResult> AttributeCommitAsync(
        [Description("Commit sha, full or abbreviated (7-40 hex).")] string sha,
        [Description("Repository owner/name, to narrow an abbreviation.")] string? repo = null,
        CancellationToken cancellationToken = default)
    {
        var lookup = await commits.GetAsync(sha, string.IsNullOrWhiteSpace(repo) ? null : repo, CommitAttributionService.DefaultMinConfidence, cancellationToken);
        if (lookup.Outcome == LookupOutcome.Ambiguous)
        {
            var candidates = string.Join("; ", lookup.Candidates!.Select(c => $"{c.Repo} {c.Sha} {c.Subject}".TrimEnd()));
            return ToolAnswer.Error($"{lookup.Message}. Candidates: {candidates}");
        }

        return lookup.Outcome == LookupOutcome.Found ? ToolAnswer.Ok(DocumentJson.Serialize(lookup.Document!)) : ToolAnswer.Error(lookup.Message);
    }

    [McpServerTool(Name = "attribute_session", ReadOnly = true, Idempotent = true)]
    [Description("What an agent session produced: commits, PRs with CI status and downstream touches, tokens and cost. Same document as GET /api/attribution/session/{id}.")]
    public async Task<CallToolResult> AttributeSessionAsync(
        [Description("Session id (the agent's own), or a unique prefix of 8+ characters.")] string id,
        CancellationToken cancellationToken = default)
    {
        var lookup = await sessions.LookupAsync(id, CommitAttributionService.DefaultMinConfidence, cancellationToken);
        return lookup.Outcome switch
        {
            LookupOutcome.Found => ToolAnswer.Ok(DocumentJson.Serialize(lookup.Document!)),
            LookupOutcome.Ambiguous => ToolAnswer.Error($"{lookup.Message}. Candidates: {lookup.CandidateText}"),
            _ => ToolAnswer.Error(lookup.Message),
        };
    }

    // MCP argument names are snake_case by the contract, so the parameters are too.
#pragma warning disable CA1707
    [McpServerTool(Name = "get_pr_outcomes", ReadOnly = true, Idempotent = true)]
    [Description("Pull/merge request outcomes of a repository, newest first (at most 100). Same rows as GET /api/pr-outcomes.")]
    public async Task<CallToolResult> GetPrOutcomesAsync(
        [Description("Repository owner/name.")] string repo,
        [Description("open, merged or closed.")] string? state = null,
        [Description("A duration back from now (30d, 12h) or an ISO date.")] string? since = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(repo))
        {
            return ToolAnswer.Error("repo must be owner/name.");
        }

        var answer = await lists.ListPrOutcomesAsync(repo, state, since, null, cancellationToken);
        return answer.Errors is null ? ToolAnswer.Ok(DocumentJson.Serialize(answer.Items)) : ToolAnswer.Error(answer.ErrorText);
    }

    [McpServerTool(Name = "get_ci_runs", ReadOnly = true, Idempotent = true)]
    [Description("CI runs, newest first (at most 100), optionally of one commit and/or with one status. Same rows as GET /api/ci-runs.")]
    public async Task<CallToolResult> GetCiRunsAsync(
        [Description("Commit sha, full or a 7+ hex prefix.")] string? commit_sha = null,
        [Description("success, failure, cancelled, in_progress, pending or skipped.")] string? status = null,
        CancellationToken cancellationToken = default)
    {
        var answer = await lists.ListCiRunsAsync(null, commit_sha, status, null, cancellationToken);
        return answer.Errors is null ? ToolAnswer.Ok(DocumentJson.Serialize(answer.Items)) : ToolAnswer.Error(answer.ErrorText);
    }

    [McpServerTool(Name = "get_yield", ReadOnly = true, Idempotent = true)]
    [Description("Per-session outcomes and per agent/model totals (sessions, cost, commits linked, PRs merged, CI pass rate, revert rate, still-good rate, cost per merged PR). Same document as GET /api/yield, paged the same way (100 session rows a page unless page_size says otherwise).")]
    public async Task<CallToolResult> GetYieldAsync(
        [Description("today, 7d, 30d, all, or a number of days like 90d (default 30d).")] string? since = null,
        [Description("Repository owner/name.")] string? repo = null,
        [Description("Agent, e.g. claude-code or codex.")] string? agent = null,
        [Description("Page of session rows, from 1 (default 1).")] int? page = null,
        [Description("Session rows per page, 1-500 (default 100, as the API).")] int? page_size = null,
        CancellationToken cancellationToken = default)
    {
        var query = new YieldQuery
        {
            Since = since ?? "30d", Repo = repo, Agent = agent, Page = page ?? 1, PageSize = page_size ?? YieldQuery.ApiPageSize,
        };
        var errors = yields.Validate(query);
        if (errors.Count > 0)
        {
            return ToolAnswer.Error(string.Join(" ", errors.Select(e => $"{(e.Key == "pageSize" ? "page_size" : e.Key)}: {e.Value[0]}")));
        }

        return ToolAnswer.Ok(DocumentJson.Serialize(await yields.GetAsync(query, cancellationToken)));
    }

    [McpServerTool(Name = "list_recent", ReadOnly = true, Idempotent = true)]
    [Description("The newest sessions, commits and pull/merge requests, to find ids to pass to attribute_session, attribute_commit and get_ci_runs. Each list newest first; commits and sessions show how many links (confidence >= 0.5) they have.")]
    public async Task<CallToolResult> ListRecentAsync(
        [Description("sessions, commits, prs or all (default all).")] string? kind = null,
        [Description("Repository owner/name.")] string? repo = null,
        [Description("Agent, e.g. claude-code or codex (sessions of that agent; commits it is marked or linked on; PRs those sessions are linked to).")] string? agent = null,
        [Description("A duration back from now (30d, 12h) or an ISO date (default 7d).")] string? since = null,
        [Description("Items per list, 1-100 (default 20).")] int? limit = null,
        CancellationToken cancellationToken = default)
    {
        var (document, error) = await recent.ListAsync(kind, repo, agent, since, limit, cancellationToken);
        return document is null ? ToolAnswer.Error(error!) : ToolAnswer.Ok(DocumentJson.Serialize(document));
    }
#pragma warning restore CA1707
}
