using Attribution.Pages.Dashboard;
using Attribution.Reports;
using Attribution.Store;

namespace Attribution.Pages;

/// <summary><c>/prs</c>: pull and merge requests, newest first, with how many sessions are linked; filtered, paged, exportable.</summary>
public sealed class PrsModel(ListReads reads, TimeProvider time) : ListPageModel("/prs", "pull-requests", Outcomes, reads.FacetsAsync, time)
{
    public static IReadOnlyList<string> Outcomes { get; } = ["open", "merged", "closed", "reverted"];

    protected override async Task<(TableView Table, bool More)> ListAsync(ListQuery query, CancellationToken cancellationToken) =>
        Drawn(await reads.PullRequestsAsync(query.ToFilter(), cancellationToken), query, Draw);

    private static TableView Draw(IEnumerable<PullRequestRow> rows)
    {
        var table = new TableView("pr-list", ["Opened", "PR", "Title", "Repository", "State", "Author", "Branch", "Merged", "Sessions"]).Numeric(8);
        foreach (var p in rows)
        {
            table.Add($"{p.Provider}:{p.RepoSlug}#{p.PrNumber}",
                Ui.When(p.CreatedAt),
                new Cell("#" + p.PrNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), Ui.PrPath(p.Provider, p.RepoSlug, p.PrNumber)),
                new Cell(p.Title ?? Ui.Dash, Css: "title-cell"),
                p.RepoSlug,
                Ui.PrState(p.State, p.RevertedAt),
                p.Author ?? Ui.Dash,
                p.HeadRef ?? Ui.Dash,
                Ui.When(p.MergedAt),
                Ui.Number(SessionCount(p.LinkedSessionIds)));
        }

        return table;
    }

    private static long SessionCount(string? json) => Common.StoredJson.StringArray(json).Count;
}
