using Attribution.Store;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attribution.Pages;

/// <summary><c>/deliveries</c>: the most recent webhook deliveries and what became of each (never the body).</summary>
public sealed class DeliveriesModel(DashboardStore store) : PageModel
{
    public const int Limit = 200;

    public IReadOnlyList<DeliveryRow> Deliveries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Deliveries = await store.GetRecentDeliveriesAsync(Limit, cancellationToken);
}
