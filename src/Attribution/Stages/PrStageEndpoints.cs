using Attribution.Store;
using Microsoft.AspNetCore.Http.HttpResults;
using Attribution.Common;

namespace Attribution.Stages;

/// <summary><c>GET /api/pr-attribution?repo=&amp;pr=&amp;stage=</c>: one PR's stages, or every PR with the per-provider totals.</summary>
public static class PrStageEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/pr-attribution", GetAsync)
            .WithName("GetPrAttribution")
            .WithSummary("PR stage attribution: who reviewed, implemented and integrated each PR, and what it cost")
            .WithTags("PR attribution");

    private static async Task<Results<Ok<PrStageReport>, Ok<PrStageOverview>, ValidationProblem, ProblemHttpResult>> GetAsync(
        PrStageService service, string? repo, string? pr, string? stage, int? limit, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (repo is not null && !RepoSlug.IsValid(repo))
        {
            errors["repo"] = ["repo must look like owner/name."];
        }

        int? number = null;
        if (pr is not null)
        {
            if (int.TryParse(pr, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed > 0)
            {
                number = parsed;
            }
            else
            {
                errors["pr"] = ["pr must be a positive whole number."];
            }
        }

        if (stage is not null && !PrStageNames.TryParse(stage, out _))
        {
            errors["stage"] = ["stage must be review, implementation or integration."];
        }

        if (limit is < 1 or > 1000)
        {
            errors["limit"] = ["limit must be between 1 and 1000."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var slug = repo is null ? null : RepoSlug.Normalize(repo);
        if (number is { } n)
        {
            var target = slug;
            if (target is null)
            {
                var repos = await service.ReposWithPrAsync(n, cancellationToken);
                if (repos.Count > 1)
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Ambiguous PR",
                        detail: $"PR #{n} exists in {repos.Count} repositories ({string.Join(", ", repos.Select(r => r.Length == 0 ? "(unscoped)" : r))}); give repo.");
                }

                target = repos.Count == 1 ? repos[0] : "";
            }

            var report = await service.GetAsync(target, n, cancellationToken);
            return report is null
                ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown PR", detail: $"No stage attribution is known for PR #{n}{(slug is null ? "" : " in " + slug)}.")
                : TypedResults.Ok(Filter(report, stage));
        }

        var overview = await service.ListAsync(slug, limit ?? 100, cancellationToken);
        return TypedResults.Ok(stage is null ? overview : overview with { PullRequests = overview.PullRequests.Select(r => Filter(r, stage)).ToList() });
    }

    private static PrStageReport Filter(PrStageReport report, string? stage)
    {
        if (stage is null || !PrStageNames.TryParse(stage, out var parsed))
        {
            return report;
        }

        var name = PrStageNames.Name(parsed);
        return report with { Stages = report.Stages.Where(s => s.Stage == name).ToList() };
    }
}
