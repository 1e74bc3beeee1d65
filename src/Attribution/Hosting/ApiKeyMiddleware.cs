using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Attribution.Hosting;

/// <summary>
/// With <c>ATTRIBUTION_API_KEY</c> set: <c>/api/*</c> (not the webhooks), <c>/cstp</c> and <c>/mcp</c> need
/// <c>Authorization: Bearer &lt;key&gt;</c>; dashboard pages need HTTP Basic with the key as password.
/// Health, metrics, OpenAPI and static files stay open. Unset: everything is open (bind to loopback).
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, IOptionsMonitor<SecurityOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var key = options.CurrentValue.ApiKey;
        if (string.IsNullOrEmpty(key))
        {
            await next(context);
            return;
        }

        switch (Classify(context.Request.Path))
        {
            case Guard.Bearer when !BearerMatches(context.Request, key, context.Request.Path.StartsWithSegments("/cstp")):
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                    detail: "This endpoint needs 'Authorization: Bearer <ATTRIBUTION_API_KEY>'.").ExecuteAsync(context);
                return;
            case Guard.Basic when !BasicMatches(context.Request, key):
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"Attribution\", charset=\"UTF-8\"";
                await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                    detail: "The dashboard needs HTTP Basic authentication with the API key as password.").ExecuteAsync(context);
                return;
            default:
                await next(context);
                return;
        }
    }

    private enum Guard
    {
        Open,
        Bearer,
        Basic,
    }

    private static Guard Classify(PathString path)
    {
        if (path.StartsWithSegments("/api/webhooks") || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/metrics")
            || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/api-reference") || path.StartsWithSegments("/css")
            || path.StartsWithSegments("/js") || path.StartsWithSegments("/favicon.ico"))
        {
            return Guard.Open;
        }

        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/cstp") || path.StartsWithSegments("/mcp"))
        {
            return Guard.Bearer;
        }

        return Guard.Basic;
    }

    /// <summary>
    /// <c>Bearer &lt;key&gt;</c>; on <c>/cstp</c> also CSTP's <c>Bearer &lt;agent&gt;:&lt;key&gt;</c> (the part after the first
    /// colon is the key), so CSTP clients configured with an agent-scoped token work unchanged.
    /// </summary>
    private static bool BearerMatches(HttpRequest request, string key, bool agentScoped)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (SecretEquals(header.Parameter, key))
        {
            return true;
        }

        var colon = header.Parameter?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return agentScoped && colon > 0 && SecretEquals(header.Parameter![(colon + 1)..], key);
    }

    private static bool BasicMatches(HttpRequest request, string key)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return false;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon >= 0 && SecretEquals(decoded[(colon + 1)..], key);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Constant-time comparison of a presented secret with the configured one.</summary>
    public static bool SecretEquals(string? presented, string expected)
    {
        if (presented is null)
        {
            return false;
        }

        var a = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var b = SHA256.HashData(Encoding.UTF8.GetBytes(expected));
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
