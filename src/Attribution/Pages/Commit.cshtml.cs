using Attribution.Common;
using Attribution.Pages.Dashboard;
using Attribution.Reports;
using System.Globalization;
using Attribution.Store;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attribution.Pages;

/// <summary><c>/commits/{sha}</c>: one commit, the sessions linked to it with evidence, its PRs, CI and later touches.</summary>
public sealed class CommitModel(DetailReads reads) : DetailPageModel
{
    [FromQuery(Name = "repo")]
    public string? Repo { get; set; }

    public string? Problem { get; private set; }

    public CommitRow? Commit { get; private set; }

    /// <summary>Several commits match an abbreviation (or several repositories hold the sha): the reader picks one.</summary>
    public IReadOnlyList<CommitRow> Candidates { get; private set; } = [];

    public IReadOnlyList<CommitFileRow> Files { get; private set; } = [];

    public IReadOnlyList<LinkRow> Sessions { get; private set; } = [];

    public IReadOnlyList<PullRequestRow> PullRequests { get; private set; } = [];

    public IReadOnlyList<CiRunRow> CiRuns { get; private set; } = [];

    public IReadOnlyList<TouchGroup> Touches { get; private set; } = [];

    public IReadOnlyList<string> RevertedBy { get; private set; } = [];

    /// <summary>The AI-written share of the commit's added lines, when a git-ai note attests it (docs/sources.md).</summary>
    public CommitAiLines? AiLines { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? sha, CancellationToken cancellationToken)
    {
        // A blank segment (/commits/%20) binds as null.
        var text = (sha ?? string.Empty).Trim().ToLowerInvariant();
        if (text.Length is < 7 or > 40 || !text.All(char.IsAsciiHexDigitLower))
        {
            Problem = "That is not a commit sha (7 to 40 hex digits)";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var matches = (await reads.FindCommitsAsync(text, 20, cancellationToken)).ToList();
        if (!string.IsNullOrWhiteSpace(Repo))
        {
            var repo = RepoSlug.Normalize(Repo);
            matches = matches.Where(m => m.RepoSlug == repo).ToList();
        }

        if (matches.Count == 0)
        {
            Problem = "No commit with that sha";
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        if (matches.Count > 1)
        {
            Candidates = matches;
            return Page();
        }

        Commit = matches[0];
        var (r, s) = (Commit.RepoSlug, Commit.Sha);
        (Files, Sessions, PullRequests, CiRuns, Touches, RevertedBy, AiLines) = await reads.CommitAsync(Commit, cancellationToken);
        return PageOrExport(Ui.CommitPath(s, r),
            [CommitSessions(Sessions), CommitPrs(PullRequests), DetailTables.CiRuns(CiRuns.Select(r => new DetailTables.CiRun(r.Status, r.WorkflowName, r.Provider, r.CommitSha, r.CompletedTs, r.RunId, r.Url))),
             DetailTables.Touches(Touches), FilesTable(Files)],
            "commit-" + s[..Math.Min(12, s.Length)]);
    }

    /// <summary>One of the page's tables as its exports write it (<see cref="Dashboard.DetailTables"/>).</summary>
    internal static TableView CommitSessions(IEnumerable<LinkRow> links)
    {
        var table = new TableView("sessions", ["Session", "Id", "Link", "Confidence", "Agent", "Model", "Cost"]).Numeric(3, 6);
        foreach (var l in links)
        {
            table.Add(l.SessionId, Ui.SessionLabel(l.SessionTitle, l.SessionStartedTs), l.SessionId, l.LinkType,
                Ui.Confidence(l.Confidence) + (l.Confidence < Linking.Outcomes.Verdicts.DefaultMinConfidence ? " (below threshold)" : ""),
                l.Agent ?? Ui.Dash, l.Model ?? Ui.Dash, Ui.Money(l.CostUsd));
        }

        return table;
    }

    /// <summary>One of the page's tables as its exports write it (<see cref="Dashboard.DetailTables"/>).</summary>
    internal static TableView CommitPrs(IEnumerable<PullRequestRow> prs)
    {
        var table = new TableView("prs", ["PR", "Title", "State"]);
        foreach (var p in prs)
        {
            table.Add(DetailTables.PrKey(p.Provider, p.RepoSlug, p.PrNumber), "#" + p.PrNumber.ToString(CultureInfo.InvariantCulture), p.Title ?? Ui.Dash,
                Ui.PrState(p.State, p.RevertedAt));
        }

        return table;
    }

    /// <summary>One of the page's tables as its exports write it (<see cref="Dashboard.DetailTables"/>).</summary>
    internal static TableView FilesTable(IEnumerable<CommitFileRow> files)
    {
        var table = new TableView("files", ["Path", "From", "Status", "+", "−"]).Numeric(3, 4);
        foreach (var f in files)
        {
            table.Add(f.Path, f.Path, f.OldPath ?? Ui.Dash, f.Status, DetailTables.Count(f.AddedLines), DetailTables.Count(f.DeletedLines));
        }

        return table;
    }
}
