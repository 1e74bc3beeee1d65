using System.Buffers;

namespace Attribution.Webhooks;

/// <summary>
/// Reads a request body up to a limit. A declared Content-Length over the limit is refused before reading;
/// a chunked body is read only until it passes the limit, so an oversized body is never held in memory.
/// </summary>
public static class WebhookBodyReader
{
    /// <summary>The body, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > maxBytes)
        {
            return null;
        }

        var sizeFeature = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            // Let the server allow exactly our limit (+1 byte to detect going over it ourselves).
            sizeFeature.MaxRequestBodySize = maxBytes + 1;
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)Math.Min(length, maxBytes) : 16 * 1024);
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (true)
            {
                var read = await request.Body.ReadAsync(chunk.AsMemory(), cancellationToken);
                if (read == 0)
                {
                    return buffer.ToArray();
                }

                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
