using Microsoft.AspNetCore.Http.HttpResults;

namespace Attribution.Webhooks;

/// <summary><c>POST /api/deliveries/{id}/replay</c>: replays a failed delivery (its stored body) through the inbox.</summary>
public static class DeliveryEndpoints
{
    public static IEndpointRouteBuilder MapDeliveryEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/deliveries/{id:long}/replay", ReplayAsync)
            .WithTags("Webhooks")
            .WithName("ReplayDelivery")
            .WithSummary("Replay a failed webhook delivery")
            .WithDescription("id: the delivery's row id (the deliveries page shows it). Only failed deliveries whose body was kept can be replayed; " +
                "the answer carries the status after one processing attempt.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return endpoints;
    }

    private static async Task<Results<Ok<ReplayAnswer>, ProblemHttpResult>> ReplayAsync(long id, DeliveryReplay replay, DeliveryLog log, CancellationToken cancellationToken)
    {
        var refused = await replay.ReplayAsync(id, cancellationToken);
        if (refused is not null)
        {
            return refused == "unknown"
                ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown delivery", detail: $"no delivery with id {id}")
                : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Delivery cannot be replayed",
                    detail: refused == "not failed" ? "only failed deliveries are replayed" : "the delivery's body was not kept");
        }

        var row = await log.FindAsync(id, cancellationToken);
        return TypedResults.Ok(new ReplayAnswer(id, row?.Status ?? "pending", row?.Reason));
    }

    /// <summary>The delivery's status after the replay's processing attempt.</summary>
    public sealed record ReplayAnswer(long Id, string Status, string? Reason);
}
