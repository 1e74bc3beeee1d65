using Attribution.Common;
using Attribution.Stages;
using Attribution.Store;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Attribution.Pages;

/// <summary>/providers: per-provider totals across PRs and each PR's stages and cost (§10).</summary>
public sealed class ProvidersModel(PrStageService service) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Repo { get; set; }

    public PrStageOverview? Overview { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (Repo is not null && !RepoSlug.IsValid(Repo))
        {
            Error = "The repository filter must look like owner/name.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        Overview = await service.ListAsync(Repo is null ? null : RepoSlug.Normalize(Repo), 200, cancellationToken);
    }

    public static string Money(CostFigure cost) => cost.Text();

    public static string Rate(double? rate) => rate is { } r ? FormattableString.Invariant($"{r * 100:0}%") : "–";
}
