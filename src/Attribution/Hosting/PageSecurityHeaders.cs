namespace Attribution.Hosting;

/// <summary>
/// Headers on every response, for the dashboard above all: no sniffing of content types (<c>nosniff</c>), never framed
/// by another site (<c>X-Frame-Options: DENY</c>, CSP <c>frame-ancestors 'none'</c>), no plugins, no foreign
/// <c>&lt;base&gt;</c> or form targets, no referrer to other sites; dynamic answers (pages, the API) are not cached
/// (<c>Cache-Control: no-store</c>: they show private attribution data), static files keep their caching.
/// </summary>
public sealed class PageSecurityHeaders(RequestDelegate next)
{
    public const string ContentSecurityPolicy = "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    private static readonly string[] StaticPrefixes = ["/css", "/js", "/favicon.ico"];

    public Task InvokeAsync(HttpContext context)
    {
        var isStatic = StaticPrefixes.Any(p => context.Request.Path.StartsWithSegments(p));
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "same-origin";
            if (!isStatic && string.IsNullOrEmpty(headers.CacheControl))
            {
                headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}
