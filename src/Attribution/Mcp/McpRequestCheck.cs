using System.Text.Json;

namespace Attribution.Mcp;

/// <summary>
/// Looks at a <c>POST /mcp</c> body before the SDK does, for the two cases the SDK answers with the wrong JSON-RPC code:
/// a body that is not JSON is answered <c>-32700</c> (parse error, HTTP 400), and a <c>tools/call</c> without a tool
/// name <c>-32602</c> (invalid params). Bodies over <see cref="MaxBodyBytes"/> are refused with 413. Everything else
/// passes on unchanged.
/// </summary>
public sealed class McpRequestCheck(RequestDelegate next)
{
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.StartsWithSegments("/mcp"))
        {
            await next(context);
            return;
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await TooLargeAsync(context);
            return;
        }

        context.Request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: MaxBodyBytes);
        using var buffer = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        }
        catch (IOException)
        {
            await TooLargeAsync(context);
            return;
        }

        context.Request.Body.Position = 0;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, Error(null, -32700, "Parse error: the body is not valid JSON."));
            return;
        }

        using (document)
        {
            var call = document.RootElement;
            if (call.ValueKind == JsonValueKind.Object && NamelessToolCall(call))
            {
                var id = call.TryGetProperty("id", out var idElement) ? idElement.Clone() : (JsonElement?)null;
                await WriteAsync(context, StatusCodes.Status200OK,
                    Error(id, -32602, "Invalid params: tools/call needs 'name', the name of a tool (see tools/list)."));
                return;
            }
        }

        await next(context);
    }

    private static bool NamelessToolCall(JsonElement call) =>
        call.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.String && method.GetString() == "tools/call"
        && call.TryGetProperty("id", out _)
        && (!call.TryGetProperty("params", out var parameters) || parameters.ValueKind != JsonValueKind.Object
            || !parameters.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(name.GetString()));

    private static Dictionary<string, object?> Error(JsonElement? id, int code, string message) => new()
    {
        ["jsonrpc"] = "2.0",
        ["id"] = id,
        ["error"] = new Dictionary<string, object?> { ["code"] = code, ["message"] = message },
    };

    private static async Task WriteAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }

    private static Task TooLargeAsync(HttpContext context) => Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request body too large", detail: $"An /mcp request body may hold at most {MaxBodyBytes} bytes.").ExecuteAsync(context);
}
