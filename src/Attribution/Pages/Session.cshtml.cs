using System.Globalization;
using Attribution.Api;
using Attribution.Reports;
using Attribution.Pages.Dashboard;
using Attribution.Store;
using Attribution.Yield;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attribution.Pages;

/// <summary><c>/sessions/{**id}</c> (an id may hold <c>/</c>): what one session did in git and what became of it, with each link's evidence.</summary>
public sealed class SessionModel(DetailReads reads, YieldService yield, SessionAttributionService sessions) : DetailPageModel
{
    public const int StillGoodAfterDays = Linking.Outcomes.Verdicts.StillGoodDays;

    public SessionRecord? Session { get; private set; }

    public YieldSessionRow? Outcome { get; private set; }

    public IReadOnlyList<LinkRow> Links { get; private set; } = [];

    public IReadOnlyList<PrLinkRow> PullRequests { get; private set; } = [];

    public IReadOnlyList<CiRunRow> CiRuns { get; private set; } = [];

    /// <summary>Each later commit touching the session's commits, once; those touching only commits linked below the threshold are marked.</summary>
    public IReadOnlyList<TouchGroup> Touches { get; private set; } = [];

    public IReadOnlyList<SessionEventRecord> Events { get; private set; } = [];

    /// <summary>Review feedback resolved to this session through the artifact index (§7).</summary>
    public IReadOnlyList<SessionFeedback> Feedback { get; private set; } = [];

    public IReadOnlyList<TimelineItem> Timeline { get; private set; } = [];

    /// <summary>Sessions an ambiguous id prefix could mean (the page lists them instead of a 404).</summary>
    public IReadOnlyList<SessionCandidate> Candidates { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? id, CancellationToken cancellationToken)
    {
        // A blank segment (/sessions/%20) binds as null: not found.
        Session = string.IsNullOrWhiteSpace(id) ? null : await reads.FindSessionAsync(id, cancellationToken);
        if (Session is null && !string.IsNullOrWhiteSpace(id))
        {
            // A unique prefix of 8+ characters names the session too (the one resolver every surface uses).
            var resolved = await sessions.ResolveAsync(id, cancellationToken);
            if (resolved.Outcome == LookupOutcome.Found)
            {
                return Redirect(Ui.SessionPath(resolved.Candidates![0].SessionId));
            }

            Candidates = resolved.Candidates ?? [];
        }

        if (Session is null || id is null)
        {
            Response.StatusCode = Candidates.Count > 0 ? StatusCodes.Status409Conflict : StatusCodes.Status404NotFound;
            return Page();
        }

        Outcome = await yield.GetSessionAsync(id, StillGoodAfterDays, 0.5, cancellationToken);
        (Links, PullRequests, CiRuns, Touches, Events, Feedback) = await reads.SessionAsync(Session, cancellationToken);
        Timeline = BuildTimeline();
        return PageOrExport(Ui.SessionPath(Session.SessionId),
            [SessionCommits(Links), SessionPrs(PullRequests), DetailTables.CiRuns(CiRuns.Select(r => new DetailTables.CiRun(r.Status, r.WorkflowName, r.Provider, r.CommitSha, r.CompletedTs, r.RunId, r.Url))), DetailTables.Touches(Touches), FeedbackTable(Feedback)],
            "session-" + Ui.ShortId(Session.SessionId));
    }

    private List<TimelineItem> BuildTimeline()
    {
        var s = Session!;
        var items = new List<TimelineItem>
        {
            new(s.StartedTs, "start", "Session started", Ui.Agent(s.Agent, s.Model) + (s.GitBranch is null ? "" : " on branch " + s.GitBranch)),
        };
        foreach (var e in Events)
        {
            var title = e.Kind + (e.Sha is null ? "" : " " + Ui.Short(e.Sha)) + (e.Branch is null ? "" : " " + e.Branch) + (e.PrNumber is null ? "" : " PR #" + e.PrNumber);
            items.Add(new(e.Ts, "event", title, e.Command ?? e.Subject,
                e.Sha is null ? null : Ui.CommitPath(e.Sha, s.RepoSlug), Ui.SafeExternalUrl(e.Url)));
        }

        foreach (var l in Links)
        {
            items.Add(new(l.CommitterTs ?? l.EstablishedTs, "commit", "Commit " + Ui.Short(l.CommitSha), l.Subject,
                Ui.CommitPath(l.CommitSha, l.RepoSlug), null, l.LinkType, l.Confidence, Ui.PrettyJson(l.EvidenceJson),
                EvidenceView.ForCommit(l.LinkType, l.Confidence, l.EvidenceJson)));
        }

        foreach (var p in PullRequests)
        {
            var title = $"PR #{p.PrNumber} {Ui.PrState(p.State, p.RevertedAt)}";
            items.Add(new(p.MergedAt, "pr", title, p.Title, Ui.PrPath(p.Provider, p.RepoSlug, p.PrNumber), Ui.SafeExternalUrl(p.Url),
                p.Reason, p.Confidence, Ui.PrettyJson(p.EvidenceJson), EvidenceView.ForPr(p.Reason, p.Confidence, p.EvidenceJson)));
        }

        foreach (var r in CiRuns)
        {
            items.Add(new(r.CompletedTs ?? r.StartedTs, "ci", $"CI {r.Status}: {r.WorkflowName ?? r.RunId}",
                $"{r.Provider} on {Ui.Short(r.CommitSha)}", r.CommitSha is null ? null : Ui.CommitPath(r.CommitSha, r.RepoSlug), Ui.SafeExternalUrl(r.Url)));
        }

        foreach (var t in Touches.Where(t => !t.BelowThreshold))
        {
            items.Add(new(t.TouchedTs, "touch", $"Touched later ({t.Classification}) by {Ui.Short(t.TouchSha)}",
                (t.Subject is null ? "" : t.Subject + " — ") + "of " + string.Join(", ", t.Targets.Select(x => Ui.Short(x.Key))) + ": " + Ui.Files(t.Files),
                Ui.CommitPath(t.TouchSha, t.RepoSlug)));
        }

        if (s.EndedTs is { } ended)
        {
            items.Add(new(ended, "end", "Session ended"));
        }

        // Undated entries (e.g. an open PR) go last, in their insertion order.
        return items.Select((item, index) => (item, index))
            .OrderBy(x => x.item.At is null ? 1 : 0).ThenBy(x => x.item.At).ThenBy(x => x.index)
            .Select(x => x.item).ToList();
    }

    /// <summary>One of the page's tables as its exports write it (<see cref="Dashboard.DetailTables"/>).</summary>
    internal static TableView SessionCommits(IEnumerable<LinkRow> links)
    {
        var table = new TableView("commits", ["Commit", "Subject", "Committed", "Link", "Confidence"]).Numeric(4);
        foreach (var l in links)
        {
            table.Add(l.CommitSha, l.CommitSha, l.Subject ?? Ui.Dash, Ui.When(l.CommitterTs), l.LinkType,
                Ui.Confidence(l.Confidence) + (l.Confidence < Linking.Outcomes.Verdicts.DefaultMinConfidence ? " (below threshold)" : ""));
        }

        return table;
    }

    /// <summary>One of the page's tables as its exports write it (<see cref="Dashboard.DetailTables"/>).</summary>
    internal static TableView SessionPrs(IEnumerable<PrLinkRow> prs)
    {
        var table = new TableView("prs", ["PR", "Title", "State", "Merged", "Linked by", "Touches"]).Numeric(5);
        foreach (var p in prs)
        {
            table.Add(DetailTables.PrKey(p.Provider, p.RepoSlug, p.PrNumber), $"{p.RepoSlug}#{p.PrNumber}", p.Title ?? Ui.Dash,
                Ui.PrState(p.State, p.RevertedAt), Ui.When(p.MergedAt),
                (p.Reason == "commit" ? "a linked commit" : p.Reason ?? Ui.Dash) + (p.Confidence is { } c ? " " + Ui.Confidence(c) : ""),
                (p.DownstreamTouchCount ?? 0).ToString(CultureInfo.InvariantCulture));
        }

        return table;
    }

    /// <summary>One of the page's tables as its exports write it (<see cref="Dashboard.DetailTables"/>).</summary>
    internal static TableView FeedbackTable(IEnumerable<SessionFeedback> feedback)
    {
        var table = new TableView("feedback", ["Kind", "PR", "Where", "Author", "Feedback", "Resolved via", "When"]);
        foreach (var f in feedback)
        {
            table.Add(null, f.Kind.Replace('_', ' '), f.PrNumber is { } n ? "#" + n.ToString(CultureInfo.InvariantCulture) : Ui.Dash,
                f.Path is null ? Ui.Dash : f.Line is { } line ? $"{f.Path}:{line}" : f.Path, f.Author ?? Ui.Dash, f.Body ?? Ui.Dash, f.Mode, Ui.When(f.CreatedAt));
        }

        return table;
    }
}
