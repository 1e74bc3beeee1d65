using System.Text.Json;

namespace Attribution.Decisions.Rpc;

/// <summary>
/// JSON-RPC 2.0 over one request body: single calls and batches (answered element by element, in order),
/// notifications (no <c>id</c>) answered with nothing, the standard error codes, and no exception escaping
/// as an HTTP error. Methods take named params only.
/// </summary>
public sealed partial class JsonRpcDispatcher(IEnumerable<IJsonRpcMethod> methods, ILogger<JsonRpcDispatcher> logger)
{
    public const int MaxBatch = 100;

    /// <summary>Nesting deeper than this is refused as a parse error (no params here need more than a few levels).</summary>
    public const int MaxDepth = 32;

    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, IJsonRpcMethod> _methods = methods.ToDictionary(m => m.Name, StringComparer.Ordinal);

    public static JsonSerializerOptions Json => SerializerOptions;

    /// <summary>The answer body, or null when every call was a notification (nothing to send).</summary>
    public async Task<byte[]?> DispatchAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        // The reader does not check every byte of property names; JSON text must be UTF-8 throughout.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            return Serialize(Error(null, JsonRpcErrorCodes.ParseError, "Parse error: the body is not valid UTF-8."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException)
        {
            return Serialize(Error(null, JsonRpcErrorCodes.ParseError, "Parse error: the body is not valid JSON (or nests deeper than 32 levels)."));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                var single = await HandleAsync(root, cancellationToken);
                return single is null ? null : Serialize(single);
            }

            var count = root.GetArrayLength();
            if (count == 0)
            {
                return Serialize(Error(null, JsonRpcErrorCodes.InvalidRequest, "Invalid request: an empty batch."));
            }

            if (count > MaxBatch)
            {
                return Serialize(Error(null, JsonRpcErrorCodes.InvalidRequest, $"Invalid request: a batch holds at most {MaxBatch} calls."));
            }

            var answers = new List<Dictionary<string, object?>>();
            foreach (var element in root.EnumerateArray())
            {
                if (await HandleAsync(element, cancellationToken) is { } answer)
                {
                    answers.Add(answer);
                }
            }

            return answers.Count == 0 ? null : Serialize(answers);
        }
    }

    private async Task<Dictionary<string, object?>?> HandleAsync(JsonElement call, CancellationToken cancellationToken)
    {
        if (call.ValueKind != JsonValueKind.Object)
        {
            return Error(null, JsonRpcErrorCodes.InvalidRequest, "Invalid request: a call must be a JSON object.");
        }

        var hasId = call.TryGetProperty("id", out var idElement);
        object? id = null;
        if (hasId)
        {
            if (idElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
            {
                return Error(null, JsonRpcErrorCodes.InvalidRequest, "Invalid request: 'id' must be a string, a number or null.");
            }

            id = idElement.Clone();
        }

        if (!call.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
        {
            return Error(id, JsonRpcErrorCodes.InvalidRequest, "Invalid request: 'jsonrpc' must be \"2.0\".");
        }

        if (!call.TryGetProperty("method", out var methodElement) || methodElement.ValueKind != JsonValueKind.String)
        {
            return Error(id, JsonRpcErrorCodes.InvalidRequest, "Invalid request: 'method' must be a string.");
        }

        var name = methodElement.GetString()!;
        if (!_methods.TryGetValue(name, out var method))
        {
            return hasId ? Error(id, JsonRpcErrorCodes.MethodNotFound, $"Method not found: {Shorten(name)}.") : null;
        }

        RpcParams parameters;
        if (!call.TryGetProperty("params", out var paramsElement) || paramsElement.ValueKind == JsonValueKind.Null)
        {
            parameters = RpcParams.Empty;
        }
        else if (paramsElement.ValueKind == JsonValueKind.Object)
        {
            parameters = new RpcParams(paramsElement);
        }
        else
        {
            return hasId ? Error(id, JsonRpcErrorCodes.InvalidParams, "Invalid params: 'params' must be an object of named parameters.", "params") : null;
        }

        try
        {
            var result = await method.InvokeAsync(parameters, cancellationToken);
            return hasId ? new Dictionary<string, object?> { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = result } : null;
        }
        catch (JsonRpcException ex)
        {
            return hasId ? Error(id, ex.Code, ex.Message, ex.Field) : null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A method's failure is answered inside the envelope, never as an HTTP 500.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogMethodFailed(logger, ex, name);
            return hasId ? Error(id, JsonRpcErrorCodes.InternalError, "Internal error: the method failed; see the server log.") : null;
        }
    }

    private static Dictionary<string, object?> Error(object? id, int code, string message, string? field = null)
    {
        var error = new Dictionary<string, object?> { ["code"] = code, ["message"] = message };
        if (field is not null)
        {
            error["data"] = new Dictionary<string, object?> { ["field"] = field };
        }

        return new Dictionary<string, object?> { ["jsonrpc"] = "2.0", ["id"] = id, ["error"] = error };
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";

    private static byte[] Serialize(object value) => JsonSerializer.SerializeToUtf8Bytes(value, SerializerOptions);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Error, Message = "JSON-RPC method {Method} failed")]
    private static partial void LogMethodFailed(ILogger logger, Exception exception, string method);
}
