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

        try
        {
            return request.ContentLength is { } length
                ? await ReadDeclaredAsync(request.Body, (int)length, cancellationToken)
                : await ReadChunkedAsync(request.Body, maxBytes, cancellationToken);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }

    // A Content-Length body goes straight into an array of its size (the server ends the body at that length); a
    // body that ends early is returned as far as it came, and fails authentication like any other altered body.
    private static async Task<byte[]> ReadDeclaredAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        var buffer = new byte[length];
        var filled = 0;
        while (filled < length)
        {
            var read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                return buffer[..filled];
            }

            filled += read;
        }

        return buffer;
    }

    private static async Task<byte[]?> ReadChunkedAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(16 * 1024);
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (true)
            {
                var read = await body.ReadAsync(chunk.AsMemory(), cancellationToken);
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
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
