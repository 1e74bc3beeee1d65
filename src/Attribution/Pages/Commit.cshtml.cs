using Attribution.Reports;
using Attribution.Store;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attribution.Pages;

/// <summary><c>/commits/{sha}</c>: one commit, the sessions linked to it with evidence, its PRs, CI and later touches.</summary>
public sealed class CommitModel(DashboardStore store, RecordedStore recorded) : PageModel
{
    [FromQuery(Name = "repo")]
    public string? Repo { get; set; }

    public string? Problem { get; private set; }

    public CommitDetailRow? Commit { get; private set; }

    /// <summary>Several commits match an abbreviation (or several repositories hold the sha): the reader picks one.</summary>
    public IReadOnlyList<CommitDetailRow> Candidates { get; private set; } = [];

    public IReadOnlyList<CommitFileRow> Files { get; private set; } = [];

    public IReadOnlyList<DashboardLinkRow> Sessions { get; private set; } = [];

    public IReadOnlyList<PrLinkRow> PullRequests { get; private set; } = [];

    public IReadOnlyList<DashboardCiRunRow> CiRuns { get; private set; } = [];

    public IReadOnlyList<TouchGroup> Touches { get; private set; } = [];

    public IReadOnlyList<string> RevertedBy { get; private set; } = [];

    /// <summary>The AI-written share of the commit's added lines, when a git-ai note attests it (docs/sources.md).</summary>
    public CommitAiLines? AiLines { get; private set; }

    public async Task OnGetAsync(string? sha, CancellationToken cancellationToken)
    {
        // A blank segment (/commits/%20) binds as null.
        var text = (sha ?? string.Empty).Trim().ToLowerInvariant();
        if (text.Length is < 7 or > 40 || !text.All(char.IsAsciiHexDigitLower))
        {
            Problem = "That is not a commit sha (7 to 40 hex digits)";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var matches = (await store.FindCommitsAsync(text, cancellationToken)).ToList();
        if (!string.IsNullOrWhiteSpace(Repo))
        {
            var repo = RepoSlug.Normalize(Repo);
            matches = matches.Where(m => m.RepoSlug == repo).ToList();
        }

        if (matches.Count == 0)
        {
            Problem = "No commit with that sha";
            Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (matches.Count > 1)
        {
            Candidates = matches;
            return;
        }

        Commit = matches[0];
        var (r, s) = (Commit.RepoSlug, Commit.Sha);
        Files = await store.GetCommitFilesAsync(r, s, cancellationToken);
        Sessions = await store.GetCommitLinksAsync(r, s, cancellationToken);
        PullRequests = await store.GetCommitPrsAsync(r, s, cancellationToken);
        CiRuns = await store.GetCommitCiRunsAsync(r, s, cancellationToken);
        Touches = TouchGroups.Of(await store.GetCommitTouchesAsync(r, s, cancellationToken));
        RevertedBy = await store.GetRevertingCommitsAsync(r, s, cancellationToken);
        AiLines = await recorded.AiLinesAsync(r, s, cancellationToken);
    }
}
