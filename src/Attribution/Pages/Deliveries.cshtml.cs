using System.Globalization;
using Attribution.Pages.Dashboard;
using Attribution.Store;
using Attribution.Webhooks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attribution.Pages;

/// <summary>
/// <c>/deliveries</c>: webhook deliveries and what became of each (never the body), filtered by receiver, event, status
/// and repository, paged, exportable (<c>?format=csv|json</c>); failed ones whose body was kept can be replayed (a POST
/// from this page, behind the API key's Basic auth when one is set).
/// </summary>
public sealed class DeliveriesModel(DeliveryLog log, DeliveryReplay replay) : PageModel
{
    public const int Limit = 200;

    public static IReadOnlyList<string> Receivers { get; } = ["github", "gitlab", "ci"];

    public static IReadOnlyList<string> Statuses => DeliveryLog.Statuses;

    [FromQuery(Name = "receiver")]
    public string? Receiver { get; set; }

    [FromQuery(Name = "event")]
    public string? Event { get; set; }

    [FromQuery(Name = "status")]
    public string? Status { get; set; }

    [FromQuery(Name = "repo")]
    public string? Repo { get; set; }

    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    [FromQuery(Name = "format")]
    public string? Format { get; set; }

    public IReadOnlyList<DeliveryRow> Deliveries { get; private set; } = [];

    public bool HasNext { get; private set; }

    /// <summary>What the last replay came to (shown once after the redirect).</summary>
    [TempData]
    public string? ReplayMessage { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        PageNumber = Math.Clamp(PageNumber, 1, 100_000);
        var export = Format is "csv" or "json";
        var rows = await log.ListAsync(Blank(Receiver), Blank(Event), Blank(Status), Blank(Repo),
            export ? 0 : (PageNumber - 1) * Limit, export ? ListQuery.ExportLimit : Limit + 1, cancellationToken);
        HasNext = !export && rows.Count > Limit;
        Deliveries = export ? rows : rows.Take(Limit).ToList();
        return export ? ListExport.Result(Build(Deliveries), Format!, "deliveries") : Page();
    }

    public async Task<IActionResult> OnPostReplayAsync(long id, CancellationToken cancellationToken)
    {
        var refused = await replay.ReplayAsync(id, cancellationToken);
        var row = await log.FindAsync(id, cancellationToken);
        ReplayMessage = refused is null
            ? $"Delivery {row?.DeliveryId ?? id.ToString(CultureInfo.InvariantCulture)} replayed: now {row?.Status ?? "pending"}{(row?.Reason is { } reason ? " (" + reason + ")" : "")}."
            : $"Delivery {id} was not replayed: {refused}.";
        return Redirect(Link(PageNumber));
    }

    /// <summary>The current filters as a query string, on page <paramref name="page"/> (and <paramref name="format"/>).</summary>
    public string Link(int page, string? format = null)
    {
        var pairs = new List<string>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                pairs.Add(key + "=" + Uri.EscapeDataString(value.Trim()));
            }
        }

        Add("receiver", Receiver);
        Add("event", Event);
        Add("status", Status);
        Add("repo", Repo);
        Add("page", page > 1 ? page.ToString(CultureInfo.InvariantCulture) : null);
        Add("format", format);
        return "/deliveries" + (pairs.Count == 0 ? "" : "?" + string.Join("&", pairs));
    }

    public static TableView Build(IEnumerable<DeliveryRow> rows)
    {
        var table = new TableView("deliveries", ["Received", "Receiver", "Event", "Repository", "Status", "Reason", "Delivery id", "Attempts"]).Numeric(7);
        foreach (var d in rows)
        {
            table.Add(d.Id.ToString(CultureInfo.InvariantCulture), Ui.When(d.ReceivedTs), d.Receiver, d.Event + (d.Action is null ? "" : " / " + d.Action),
                d.RepoSlug ?? Ui.Dash, d.Status, d.Reason ?? "", d.DeliveryId, d.Attempts.ToString(CultureInfo.InvariantCulture));
        }

        return table;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
