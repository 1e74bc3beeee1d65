using Attribution.Pages.Dashboard;
using Attribution.Reports;
using Attribution.Store;

namespace Attribution.Pages;

/// <summary><c>/sessions</c>: every session, newest first, filtered and paged; <c>?format=csv|json</c> exports the rows.</summary>
public sealed class SessionsModel(ListReads reads, TimeProvider time) : ListPageModel("/sessions", "sessions", Outcomes, reads.FacetsAsync, time)
{
    public static IReadOnlyList<string> Outcomes { get; } = ["linked", "unlinked", "merged"];

    protected override async Task<(TableView Table, bool More)> ListAsync(ListQuery query, CancellationToken cancellationToken) =>
        Drawn(await reads.SessionsAsync(query.ToFilter(), cancellationToken), query, Draw);

    private static TableView Draw(IEnumerable<BrowseSessionRow> rows)
    {
        var table = new TableView("session-list", ["Started", "Session", "Id", "Agent", "Model", "Repository", "Branch", "Cost", "Commits", "Best link"]).Numeric(7, 8, 9);
        foreach (var s in rows)
        {
            table.Add(s.SessionId,
                Ui.When(s.StartedTs),
                new Cell(Ui.SessionLabel(s.Title, s.StartedTs), Ui.SessionPath(s.SessionId), "title-cell"),
                new Cell(Ui.ShortId(s.SessionId), Ui.SessionPath(s.SessionId), Code: true, Hint: s.SessionId),
                s.Agent,
                s.Model ?? Ui.Dash,
                s.RepoSlug ?? "no repository",
                s.GitBranch ?? Ui.Dash,
                Ui.Money(s.CostUsd),
                Ui.Number(s.Commits),
                s.BestConfidence is { } c ? new Cell(Ui.Confidence(c), Badge: "conf " + Ui.ConfidenceClass(c)) : Ui.Dash);
        }

        return table;
    }
}
