namespace Attribution.Decisions.Rpc;

/// <summary>One JSON-RPC method: its name and what it answers for named params (throw <see cref="JsonRpcException"/> for errors).</summary>
public interface IJsonRpcMethod
{
    string Name { get; }

    Task<object> InvokeAsync(RpcParams parameters, CancellationToken cancellationToken);
}
