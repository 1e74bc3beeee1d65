namespace Attribution.Decisions.Rpc;

/// <summary>A JSON-RPC error to answer inside the envelope (HTTP 200); <see cref="Field"/> names the offending parameter.</summary>
public sealed class JsonRpcException : Exception
{
    public JsonRpcException()
    {
    }

    public JsonRpcException(string message)
        : base(message)
    {
    }

    public JsonRpcException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public JsonRpcException(int code, string message, string? field = null)
        : base(message)
    {
        Code = code;
        Field = field;
    }

    public int Code { get; } = JsonRpcErrorCodes.InternalError;

    public string? Field { get; }

    public static JsonRpcException InvalidParams(string field, string problem) =>
        new(JsonRpcErrorCodes.InvalidParams, $"Invalid params: '{field}' {problem}", field);
}

/// <summary>The standard JSON-RPC 2.0 error codes.</summary>
public static class JsonRpcErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;
}
