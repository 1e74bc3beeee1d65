using Attribution.Store;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Attribution.Operations;

/// <summary><c>/healthz</c>: 200 when the database answers, 503 problem details otherwise.</summary>
public static class OperationEndpoints
{
    public static IEndpointRouteBuilder MapOperationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", CheckAsync)
            .WithName("Health")
            .WithSummary("Liveness and database check")
            .WithTags("Operations");
        return endpoints;
    }

    private static async Task<Results<Ok<HealthDocument>, ProblemHttpResult>> CheckAsync(HealthStore store, CancellationToken cancellationToken)
    {
        var problem = await store.CheckAsync(TimeSpan.FromSeconds(3), cancellationToken);
        return problem is null
            ? TypedResults.Ok(new HealthDocument("ok", store.Dialect.ToString().ToLowerInvariant()))
            : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Database unavailable", detail: problem);
    }

    /// <summary>The body of a healthy answer.</summary>
    public sealed record HealthDocument(string Status, string Database);
}
