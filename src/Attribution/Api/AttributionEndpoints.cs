using Attribution.Linking.Outcomes;
using Attribution.Reports;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Attribution.Api;

/// <summary>
/// <c>/api/attribution/commit/{sha}</c>, <c>/api/attribution/session/{id}</c>, <c>/api/pr-outcomes</c> and
/// <c>/api/ci-runs</c>: thin HTTP over the document services; every error is problem details.
/// </summary>
public static class AttributionEndpoints
{
    public static IEndpointRouteBuilder MapAttributionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var attribution = endpoints.MapGroup("/api/attribution").WithTags("Attribution");
        DocumentRoute(attribution.MapGet("/commit/{sha}", GetCommitAsync), "GetCommitAttribution",
            "Where a commit came from and how it held up",
            "sha: 7–40 hex (an abbreviation matching several commits answers 409 with the candidates).");
        DocumentRoute(attribution.MapGet("/session/{id}", GetSessionAsync), "GetSessionAttribution",
            "What a session produced: commits, PRs, CI, downstream touches",
            "id: the session id or a unique prefix of 8+ characters (a prefix matching several sessions answers 409 with the candidates).");

        endpoints.MapGet("/api/pr-outcomes", ListPrOutcomesAsync)
            .WithTags("Outcomes")
            .WithName("ListPrOutcomes")
            .WithSummary("Pull/merge request outcomes, newest first")
            .WithDescription("Filters: repo (owner/name), state (open|merged|closed), since (30d, 12h or an ISO date), limit (1–1000, default 100).")
            .ProducesValidationProblem();
        endpoints.MapGet("/api/ci-runs", ListCiRunsAsync)
            .WithTags("Outcomes")
            .WithName("ListCiRuns")
            .WithSummary("CI runs, newest first")
            .WithDescription("Filters: repo (owner/name), commitSha (7–40 hex, prefix), status (success|failure|cancelled|in_progress|pending|skipped), limit (1–1000, default 100).")
            .ProducesValidationProblem();
        return endpoints;
    }

    /// <summary>A document looked up by id or prefix: bad input (400), nothing found (404) or an ambiguous prefix (409), links under a floor left out.</summary>
    private static void DocumentRoute(RouteHandlerBuilder route, string name, string summary, string idHelp) =>
        route.WithName(name)
            .WithSummary(summary)
            .WithDescription(idHelp + " Links below minConfidence (default 0.5) are left out.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<Results<Ok<CommitAttributionDocument>, ProblemHttpResult>> GetCommitAsync(
        string sha, string? repo, string? minConfidence, CommitAttributionService service, CancellationToken cancellationToken)
    {
        if (!Verdicts.TryParseMinConfidence(minConfidence, out var floor))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid minConfidence",
                detail: "minConfidence must be a number from 0 to 1.");
        }

        var lookup = await service.GetAsync(sha, string.IsNullOrWhiteSpace(repo) ? null : repo, floor, cancellationToken);
        return lookup.Outcome switch
        {
            LookupOutcome.Found => TypedResults.Ok(lookup.Document!),
            LookupOutcome.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown commit", detail: lookup.Message),
            LookupOutcome.Ambiguous => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Ambiguous commit abbreviation",
                detail: lookup.Message, extensions: new Dictionary<string, object?> { ["candidates"] = lookup.Candidates }),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid commit query", detail: lookup.Message),
        };
    }

    private static async Task<Results<Ok<SessionAttributionDocument>, ProblemHttpResult>> GetSessionAsync(
        string id, string? minConfidence, SessionAttributionService service, CancellationToken cancellationToken)
    {
        if (!Verdicts.TryParseMinConfidence(minConfidence, out var floor))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid minConfidence",
                detail: "minConfidence must be a number from 0 to 1.");
        }

        var lookup = await service.LookupAsync(id, floor, cancellationToken);
        return lookup.Outcome switch
        {
            LookupOutcome.Found => TypedResults.Ok(lookup.Document!),
            LookupOutcome.Ambiguous => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Ambiguous session id prefix",
                detail: lookup.Message, extensions: new Dictionary<string, object?> { ["candidates"] = lookup.Candidates }),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown session", detail: $"unknown session {Clip(id)}"),
        };
    }

    private static async Task<Results<Ok<IReadOnlyList<PrOutcomeItem>>, ValidationProblem>> ListPrOutcomesAsync(
        string? repo, string? state, string? since, string? limit, OutcomeListService service, CancellationToken cancellationToken)
    {
        var answer = await service.ListPrOutcomesAsync(repo, state, since, limit, cancellationToken);
        return answer.Errors is null
            ? TypedResults.Ok(answer.Items)
            : TypedResults.ValidationProblem(answer.Errors.ToDictionary(e => e.Key, e => e.Value));
    }

    private static async Task<Results<Ok<IReadOnlyList<CiRunItem>>, ValidationProblem>> ListCiRunsAsync(
        string? repo, string? commitSha, string? status, string? limit, OutcomeListService service, CancellationToken cancellationToken)
    {
        var answer = await service.ListCiRunsAsync(repo, commitSha, status, limit, cancellationToken);
        return answer.Errors is null
            ? TypedResults.Ok(answer.Items)
            : TypedResults.ValidationProblem(answer.Errors.ToDictionary(e => e.Key, e => e.Value));
    }

    /// <summary>User input echoed in an error stays short.</summary>
    private static string Clip(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
