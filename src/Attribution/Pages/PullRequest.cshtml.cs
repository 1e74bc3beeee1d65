using Attribution.Common;
using Attribution.Linking.Outcomes;
using Attribution.Reports;
using System.Globalization;
using Attribution.Store;
using Attribution.Pages.Dashboard;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attribution.Pages;

/// <summary>
/// <c>/prs/{provider}/{owner}/{name}/{number}</c> (GitLab: <c>/prs/gitlab/group/sub/name/{iid}</c>): the PR, its
/// commits, the sessions behind it, CI and what happened to its code since.
/// </summary>
public sealed class PullRequestModel(DetailReads reads, PullRequestOutcomes outcomes) : DetailPageModel
{
    public PullRequestRow? Pr { get; private set; }

    public IReadOnlyList<PrCommitRow> Commits { get; private set; } = [];

    public IReadOnlyList<PrLinkRow> Sessions { get; private set; } = [];

    public IReadOnlyList<CiRunRow> CiRuns { get; private set; } = [];

    public IReadOnlyList<TouchGroup> Touches { get; private set; } = [];

    /// <summary>The PR's verdict figures (CI, touches, reverts, still good), the same every surface shows.</summary>
    public PullRequestFigures? Outcome { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? provider, string? path, CancellationToken cancellationToken)
    {
        // path = owner/name/number, where the repository part may have more segments (GitLab groups). A blank segment
        // (/prs/%20/a/b/1, /prs/github/%20) binds as null: not found.
        path ??= string.Empty;
        var slash = path.TrimEnd('/').LastIndexOf('/');
        if (!string.IsNullOrWhiteSpace(provider) && slash > 0 && long.TryParse(path.AsSpan(slash + 1).TrimEnd('/'), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            && number is > 0 and <= int.MaxValue && RepoSlug.IsValid(path[..slash]))
        {
            var repo = RepoSlug.Normalize(path[..slash]);
            Pr = await reads.FindPullRequestAsync(provider.ToLowerInvariant(), repo, (int)number, cancellationToken);
            if (Pr is not null)
            {
                (Commits, Sessions, CiRuns, Touches) = await reads.PullRequestAsync(Pr, cancellationToken);
                Outcome = await outcomes.GetAsync(Pr.Provider, Pr.RepoSlug, (int)Pr.PrNumber, Verdicts.StillGoodDays, cancellationToken);
                return PageOrExport(Ui.PrPath(Pr.Provider, Pr.RepoSlug, Pr.PrNumber),
                    [PrSessions(Sessions), PrCommits(Commits), DetailTables.CiRuns(CiRuns.Select(r => new DetailTables.CiRun(r.Status, r.WorkflowName, r.Provider, r.CommitSha, r.CompletedTs, r.RunId, r.Url))), DetailTables.Touches(Touches)],
                    $"pr-{Pr.PrNumber.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    /// <summary>One of the page's tables as its exports write it (<see cref="Dashboard.DetailTables"/>).</summary>
    internal static TableView PrCommits(IEnumerable<PrCommitRow> commits)
    {
        var table = new TableView("commits", ["Commit", "Subject", "Author", "Committed", "Known from"]);
        foreach (var c in commits)
        {
            table.Add(c.Sha, c.Sha, c.Subject ?? Ui.Dash, c.AuthorName ?? Ui.Dash, Ui.When(c.CommitterTs), c.Source);
        }

        return table;
    }

    /// <summary>One of the page's tables as its exports write it (<see cref="Dashboard.DetailTables"/>).</summary>
    internal static TableView PrSessions(IEnumerable<PrLinkRow> sessions)
    {
        var table = new TableView("sessions", ["Session", "Id", "Linked by", "Confidence"]).Numeric(3);
        foreach (var s in sessions)
        {
            table.Add(s.SessionId, Ui.SessionLabel(s.SessionTitle, s.SessionStartedTs), s.SessionId ?? Ui.Dash,
                s.Reason == "commit" ? "one of its commits" : s.Reason ?? Ui.Dash, s.Confidence is { } c ? Ui.Confidence(c) : Ui.Dash);
        }

        return table;
    }
}
