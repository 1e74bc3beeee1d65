using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Attribution.Hosting;

/// <summary>
/// Keeps web pages the operator visits from writing to the service. A browser sends a cross-site POST without asking
/// first (no preflight) when its body is <c>text/plain</c>, form-encoded or untyped, so with no API key any page could
/// plant a transcript or a decision. Every state-changing request (POST, PUT, PATCH, DELETE) except the webhooks, which
/// come from servers and are signed:
/// <list type="bullet">
/// <item>is refused (403) when it comes from another site: an <c>Origin</c> that is neither this host nor listed in
/// <c>Attribution:Security:AllowedOrigins</c>, or, without <c>Origin</c>, <c>Sec-Fetch-Site: cross-site|same-site</c>;</item>
/// <item>to <c>/api</c>, <c>/cstp</c> or <c>/mcp</c>, must carry a JSON or NDJSON content type (415 otherwise), which a
/// browser can only send cross-site after a preflight this service never answers.</item>
/// </list>
/// DNS rebinding (a page whose own host name resolves to 127.0.0.1) is stopped by the host filter: see
/// <see cref="AllowedHostsDefault"/>.
/// </summary>
public sealed class BrowserGuardMiddleware(RequestDelegate next, IOptionsMonitor<SecurityOptions> options)
{
    private static readonly string[] JsonMediaTypes =
    [
        "application/json", "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonl",
        "application/jsonlines", "application/x-jsonlines", "application/json-seq",
    ];

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!IsStateChanging(request.Method) || request.Path.StartsWithSegments("/api/webhooks"))
        {
            await next(context);
            return;
        }

        if (CrossSite(request, options.CurrentValue.AllowedOrigins) is { } reason)
        {
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Cross-site request refused",
                detail: reason + " State-changing requests are accepted from this host's own pages and from clients that are not browsers; "
                    + "list other origins in ATTRIBUTION_ALLOWED_ORIGINS.").ExecuteAsync(context);
            return;
        }

        if (NeedsJson(request) && !IsJson(request.ContentType))
        {
            await Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type",
                detail: "Send 'Content-Type: application/json' (or application/x-ndjson for transcripts).").ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static bool IsStateChanging(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    private static bool NeedsJson(HttpRequest request) =>
        !HttpMethods.IsDelete(request.Method)
        && (request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/cstp") || request.Path.StartsWithSegments("/mcp"));

    /// <summary>True for JSON and NDJSON media types, and any <c>+json</c> type.</summary>
    public static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType.Value is not { } media)
        {
            return false;
        }

        return JsonMediaTypes.Contains(media, StringComparer.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Why the request comes from another site, or null when it does not.</summary>
    private static string? CrossSite(HttpRequest request, string? allowedOrigins)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                return $"Origin '{origin}' is not this site.";
            }

            if (string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase) || Listed(origin, allowedOrigins))
            {
                return null;
            }

            return $"Origin '{origin}' is not this site.";
        }

        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        return fetchSite.Equals("cross-site", StringComparison.OrdinalIgnoreCase) || fetchSite.Equals("same-site", StringComparison.OrdinalIgnoreCase)
            ? $"The browser marked the request '{fetchSite}'."
            : null;
    }

    private static bool Listed(string origin, string? allowedOrigins) =>
        !string.IsNullOrWhiteSpace(allowedOrigins)
        && allowedOrigins.Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(o => string.Equals(o.TrimEnd('/'), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
}
