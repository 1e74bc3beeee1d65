using System.Globalization;
using Attribution.Common;
using Attribution.Pages.Dashboard;
using Attribution.Yield;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attribution.Pages;

/// <summary>
/// <c>/yield</c>: which sessions shipped work that held up. Every filter, the sort and the page live in the
/// URL so a view can be bookmarked and shared.
/// </summary>
public sealed class YieldModel(YieldService service, TimeProvider time) : PageModel
{
    public const int PageSize = 50;

    [FromQuery(Name = "period")]
    public string? Period { get; set; }

    [FromQuery(Name = "repo")]
    public string? Repo { get; set; }

    [FromQuery(Name = "agent")]
    public string? Agent { get; set; }

    [FromQuery(Name = "model")]
    public string? Model { get; set; }

    [FromQuery(Name = "sort")]
    public string? Sort { get; set; }

    [FromQuery(Name = "outcome")]
    public string? Outcome { get; set; }

    [FromQuery(Name = "page")]
    public string? PageText { get; set; }

    public YieldReport? Report { get; private set; }

    public YieldFilterOptions FilterOptions { get; private set; } = new([], [], []);

    public bool IsEmptyDatabase { get; private set; }

    public IReadOnlyList<string> Notices { get; private set; } = [];

    public OutcomeChart? Chart { get; private set; }

    public static IReadOnlyList<string> Periods { get; } = ["today", "7d", "30d", "all"];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await service.HasAnyDataAsync(cancellationToken))
        {
            IsEmptyDatabase = true;
            return;
        }

        var notices = new List<string>();
        string? period = null;
        if (!string.IsNullOrWhiteSpace(Period))
        {
            if (Since.TryParse(Period, time.GetUtcNow(), out var parsed, out var periodError))
            {
                period = parsed.Name;
            }
            else
            {
                notices.Add($"“{Period}” is not a period: {periodError} Showing the last 7 days.");
            }
        }

        var page = 1;
        if (!string.IsNullOrWhiteSpace(PageText) && (!int.TryParse(PageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            notices.Add($"“{PageText}” is not a page number; showing page 1.");
            page = 1;
        }

        var outcome = string.IsNullOrWhiteSpace(Outcome) ? null : Outcome.Trim().ToLowerInvariant();
        if (outcome is not null && !OutcomeClass.All.Contains(outcome))
        {
            notices.Add($"“{Outcome}” is not an outcome class; showing all sessions.");
            outcome = null;
        }

        Period = period ?? YieldQuery.DefaultPeriod;
        Outcome = outcome;
        var query = new YieldQuery
        {
            Since = Period,
            Repo = Repo,
            Agent = Agent,
            Model = Model,
            Sort = Sort,
            Outcome = outcome,
            Page = page,
            PageSize = PageSize,
        };
        Report = await service.GetAsync(query, cancellationToken);
        if (Report.Page > Report.PageCount)
        {
            Report = await service.GetAsync(query with { Page = Report.PageCount }, cancellationToken);
        }

        Sort = Report.Sort;
        FilterOptions = await service.GetFilterOptionsAsync(cancellationToken);
        Chart = OutcomeChart.Build(Report.Timeline);
        Notices = notices;
    }

    /// <summary>This view's URL with some parameters changed (null removes one); the page resets unless given.</summary>
    public string Link(params (string Key, string? Value)[] changes) => QueryLink.Build("/yield",
        [("period", Period), ("repo", Repo), ("agent", Agent), ("model", Model), ("outcome", Outcome), ("sort", Sort == "-started" ? null : Sort)], changes);

    /// <summary>The header link of a sortable column: descending first, then toggles.</summary>
    public string SortLink(string key) => Link(("sort", Sort == "-" + key ? key : "-" + key));

    /// <summary><c>aria-sort</c> value of a column.</summary>
    public string AriaSort(string key) => Sort == "-" + key ? "descending" : Sort == key ? "ascending" : "none";

    public string SortArrow(string key) => Sort == "-" + key ? "▼" : Sort == key ? "▲" : "";
}
