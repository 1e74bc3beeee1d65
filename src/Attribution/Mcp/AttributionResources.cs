using System.ComponentModel;
using Attribution.Api;
using Attribution.Reports;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace Attribution.Mcp;

/// <summary>
/// MCP resources: a guide to what this server holds, and the commit and session documents by URI (the same
/// documents as the tools and the API), each with a description an agent can read in <c>resources/list</c>.
/// </summary>
[McpServerResourceType]
public sealed class AttributionResources(CommitAttributionService commits, SessionAttributionService sessions)
{
    public const string GuideUri = "attribution://guide";

    public const string Guide = """
        # Attribution

        This server links AI coding-agent sessions (Claude Code, Codex, ...) to the commits they made, the pull
        requests those commits landed in, their CI runs, and later fixes or reverts of the same code.

        - Start with `list_recent` (sessions, commits and PRs, newest first; filter by repo, agent, since).
        - `attribute_commit(sha, repo?)`: which session produced a commit, with link type and confidence, and what happened to it.
        - `attribute_session(id)`: what a session produced: commits, PRs, CI status, downstream touches, tokens and cost.
        - `get_pr_outcomes(repo, state?, since?)` and `get_ci_runs(commit_sha?, status?)`: rows as the JSON API lists them.
        - `get_yield(since?, repo?, agent?, page?, page_size?)`: per-session outcomes and per agent/model totals.

        Links below confidence 0.5 are left out. A work item is "still good" when it is at least 14 days old and no revert or fix
        landed in its first 14 days; younger work is "too young to judge" (null), never "not still good".
        Resources `attribution://commits/{sha}` and `attribution://sessions/{id}` answer the same documents as the tools.
        """;

    [McpServerResource(UriTemplate = GuideUri, Name = "guide", Title = "What this server holds", MimeType = "text/markdown")]
    [Description("How the data fits together (sessions, commits, PRs, CI, downstream touches) and which tool answers which question. Read first.")]
    public static string ReadGuide() => Guide;

    [McpServerResource(UriTemplate = "attribution://commits/{sha}", Name = "commit", Title = "Commit attribution", MimeType = "application/json")]
    [Description("The attribution document of one commit (sha: 7-40 hex): sessions with link type and confidence, PRs, CI runs, downstream touches. Same as GET /api/attribution/commit/{sha}.")]
    public async Task<string> ReadCommitAsync(string sha, CancellationToken cancellationToken = default)
    {
        var lookup = await commits.GetAsync(sha, null, CommitAttributionService.DefaultMinConfidence, cancellationToken);
        return lookup.Outcome == LookupOutcome.Found
            ? DocumentJson.Serialize(lookup.Document!)
            : throw new McpException(lookup.Outcome == LookupOutcome.Ambiguous
                ? $"{lookup.Message}. Candidates: {string.Join("; ", lookup.Candidates!.Select(c => $"{c.Repo} {c.Sha}"))}"
                : lookup.Message);
    }

    [McpServerResource(UriTemplate = "attribution://sessions/{id}", Name = "session", Title = "Session attribution", MimeType = "application/json")]
    [Description("The attribution document of one agent session: commits, PRs with CI status and downstream touches, tokens and cost. Same as GET /api/attribution/session/{id}.")]
    public async Task<string> ReadSessionAsync(string id, CancellationToken cancellationToken = default)
    {
        var lookup = await sessions.LookupAsync(id, CommitAttributionService.DefaultMinConfidence, cancellationToken);
        return lookup.Outcome == LookupOutcome.Found
            ? DocumentJson.Serialize(lookup.Document!)
            : throw new McpException(lookup.Outcome == LookupOutcome.Ambiguous ? $"{lookup.Message}. Candidates: {lookup.CandidateText}" : lookup.Message);
    }
}
