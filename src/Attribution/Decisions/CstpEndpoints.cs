using Attribution.Decisions.Rpc;

namespace Attribution.Decisions;

/// <summary><c>POST /cstp</c>: JSON-RPC 2.0 for CSTP clients. Answers are HTTP 200 with errors inside the envelope; 204 when only notifications came.</summary>
public static class CstpEndpoints
{
    /// <summary>The largest accepted request body (1 MiB); larger → 413 problem details.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapCstp(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/cstp", HandleAsync)
            .WithName("Cstp")
            .WithTags("Decisions (CSTP)")
            .WithSummary("CSTP JSON-RPC 2.0: recordDecision, reviewDecision, queryDecisions, getCalibration, reportBug, attributeOutcomes")
            .DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, JsonRpcDispatcher dispatcher, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return TooLarge();
        }

        var body = await ReadLimitedAsync(context.Request.Body, cancellationToken);
        if (body is null)
        {
            return TooLarge();
        }

        var answer = await dispatcher.DispatchAsync(body, cancellationToken);
        return answer is null ? Results.NoContent() : Results.Bytes(answer, "application/json");
    }

    private static IResult TooLarge() => Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
        detail: $"A /cstp request body may hold at most {MaxBodyBytes} bytes.");

    private static async Task<byte[]?> ReadLimitedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
