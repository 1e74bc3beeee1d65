using Attribution.Pages.Dashboard;
using Attribution.Reports;
using Attribution.Store;

namespace Attribution.Pages;

/// <summary><c>/commits</c>: every recorded commit, newest first, with its strongest session link; filtered, paged, exportable.</summary>
public sealed class CommitsModel(ListReads reads, TimeProvider time) : ListPageModel("/commits", "commits", Outcomes, reads.FacetsAsync, time)
{
    public static IReadOnlyList<string> Outcomes { get; } = ["linked", "unlinked", "reverted"];

    protected override async Task<(TableView Table, bool More)> ListAsync(ListQuery query, CancellationToken cancellationToken) =>
        Drawn(await reads.CommitsAsync(query.ToFilter(), cancellationToken), query, Draw);

    private static TableView Draw(IEnumerable<BrowseCommitRow> rows)
    {
        var table = new TableView("commit-list", ["Committed", "Commit", "Subject", "Author", "Repository", "Agent", "Model", "Sessions", "Link", "Confidence"]).Numeric(7, 9);
        foreach (var c in rows)
        {
            table.Add(c.RepoSlug + "@" + c.Sha,
                Ui.When(c.CommitterTs),
                new Cell(Ui.Short(c.Sha), Ui.CommitPath(c.Sha, c.RepoSlug), Code: true, Hint: c.Sha),
                new Cell(c.Subject ?? Ui.Dash, Css: "title-cell"),
                c.AuthorName ?? c.AuthorEmail ?? Ui.Dash,
                c.RepoSlug,
                c.Agent ?? Ui.Dash,
                c.Model ?? Ui.Dash,
                Ui.Number(c.Sessions),
                c.LinkType ?? Ui.Dash,
                c.BestConfidence is { } conf ? new Cell(Ui.Confidence(conf), Badge: "conf " + Ui.ConfidenceClass(conf)) : Ui.Dash);
        }

        return table;
    }
}
