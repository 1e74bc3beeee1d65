using System.Buffers;
using System.Security.Cryptography;

namespace Attribution.Webhooks;

/// <summary>How reading a webhook body ended.</summary>
public enum BodyReadStatus
{
    Read,
    TooLarge,
    Busy,
    Aborted,
}

/// <summary>A body read (or not), and the bytes of <see cref="WebhookBodyBudget"/> it holds until released.</summary>
public readonly record struct BodyRead(BodyReadStatus Status, byte[]? Body, long Reserved);

/// <summary>
/// Reads a request body up to a limit and within the in-flight budget. A declared Content-Length over the limit is
/// refused before reading, and one that does not fit the budget is not read (503); a chunked body is read only until it
/// passes the limit or the budget, so an oversized body is never held in memory. The HMAC the delivery is signed with is
/// computed from the bytes as they arrive (no second pass or copy of the body). A client that goes away mid-body ends
/// the read as <see cref="BodyReadStatus.Aborted"/>, not as an exception.
/// </summary>
public static class WebhookBodyReader
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>The body; the caller releases <see cref="BodyRead.Reserved"/> from <paramref name="budget"/> when done with it.</summary>
    public static async Task<BodyRead> ReadAsync(HttpRequest request, long maxBytes, WebhookBodyBudget budget, IncrementalHash? hmac, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > maxBytes)
        {
            return new BodyRead(BodyReadStatus.TooLarge, null, 0);
        }

        var sizeFeature = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            // Let the server allow exactly our limit (+1 byte to detect going over it ourselves).
            sizeFeature.MaxRequestBodySize = maxBytes + 1;
        }

        var reservation = new Reservation(budget);
        try
        {
            BodyRead read;
            if (request.ContentLength is { } length)
            {
                read = reservation.TryAdd(length)
                    ? new BodyRead(BodyReadStatus.Read, await ReadDeclaredAsync(request.Body, (int)length, hmac, cancellationToken), 0)
                    : new BodyRead(BodyReadStatus.Busy, null, 0);
            }
            else
            {
                read = await ReadChunkedAsync(request.Body, maxBytes, reservation, hmac, cancellationToken);
            }

            if (read.Status != BodyReadStatus.Read)
            {
                reservation.ReleaseAll();
                return read;
            }

            return read with { Reserved = reservation.Bytes };
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            reservation.ReleaseAll();
            return new BodyRead(BodyReadStatus.TooLarge, null, 0);
        }
        catch (Exception ex) when (ex is IOException or BadHttpRequestException
            || (ex is OperationCanceledException && request.HttpContext.RequestAborted.IsCancellationRequested))
        {
            // The client went away or sent a broken body (connection reset, body shorter than declared).
            reservation.ReleaseAll();
            return new BodyRead(BodyReadStatus.Aborted, null, 0);
        }
    }

    // A Content-Length body goes straight into an array of its size (the server ends the body at that length); a
    // body that ends early is returned as far as it came, and fails authentication like any other altered body.
    private static async Task<byte[]> ReadDeclaredAsync(Stream body, int length, IncrementalHash? hmac, CancellationToken cancellationToken)
    {
        var buffer = new byte[length];
        var filled = 0;
        while (filled < length)
        {
            var read = await body.ReadAsync(buffer.AsMemory(filled, Math.Min(ChunkBytes, length - filled)), cancellationToken);
            if (read == 0)
            {
                return buffer[..filled];
            }

            hmac?.AppendData(buffer, filled, read);
            filled += read;
        }

        return buffer;
    }

    private static async Task<BodyRead> ReadChunkedAsync(Stream body, long maxBytes, Reservation reservation, IncrementalHash? hmac, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(16 * 1024);
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            while (true)
            {
                var read = await body.ReadAsync(chunk.AsMemory(0, ChunkBytes), cancellationToken);
                if (read == 0)
                {
                    return new BodyRead(BodyReadStatus.Read, buffer.ToArray(), 0);
                }

                if (buffer.Length + read > maxBytes)
                {
                    return new BodyRead(BodyReadStatus.TooLarge, null, 0);
                }

                // The growing buffer and the final copy: twice what was read.
                if (!reservation.TryAdd(2L * read))
                {
                    return new BodyRead(BodyReadStatus.Busy, null, 0);
                }

                hmac?.AppendData(chunk, 0, read);
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private sealed class Reservation(WebhookBodyBudget budget)
    {
        public long Bytes { get; private set; }

        public bool TryAdd(long bytes)
        {
            if (!budget.TryReserve(bytes))
            {
                return false;
            }

            Bytes += bytes;
            return true;
        }

        public void ReleaseAll()
        {
            budget.Release(Bytes);
            Bytes = 0;
        }
    }
}
