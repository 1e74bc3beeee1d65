using Attribution.Store;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Attribution.Common;

namespace Attribution.Sessions;

/// <summary><c>POST /api/sessions/import?agent=claude-code|codex[&amp;repo=owner/name]</c>: a transcript posted by an agent hook.</summary>
public static class SessionImportEndpoints
{
    /// <summary>Largest accepted transcript body.</summary>
    public const long MaxBodyBytes = 100L * 1024 * 1024;

    // No content-type constraint: hooks post with curl, whose default type is form-encoded; the body is read as lines whatever it says.
    public static IEndpointRouteBuilder MapSessionImport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/sessions/import", ImportAsync)
            .WithName("ImportSession")
            .WithTags("Sessions")
            .DisableAntiforgery();
        return endpoints;
    }

    private static async Task<Results<Ok<SessionImportResult>, ProblemHttpResult>> ImportAsync(
        HttpContext context, SessionIngestor ingestor, string? agent, string? repo, CancellationToken cancellationToken)
    {
        if (agent is not (SessionAgents.ClaudeCode or SessionAgents.Codex))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unknown agent",
                detail: "The 'agent' query parameter must be 'claude-code' or 'codex'.");
        }

        if (repo is not null && (repo.Trim().Trim('/').Split('/').Length < 2 || repo.Any(char.IsWhiteSpace)))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad repository",
                detail: "The 'repo' query parameter must look like owner/name.");
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return TooLarge();
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        await using var body = new LimitedStream(context.Request.Body, MaxBodyBytes);
        SessionImportResult result;
        try
        {
            result = await ingestor.ImportAsync(body, agent, repo is null ? null : RepoSlug.Normalize(repo), cancellationToken);
        }
        catch (BodyTooLargeException)
        {
            return TooLarge();
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }

        if (body.BytesRead == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Empty body",
                detail: "Post the transcript (JSON lines) as the request body.");
        }

        return TypedResults.Ok(result);
    }

    private static ProblemHttpResult TooLarge() =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Transcript too large",
            detail: $"Transcripts up to {MaxBodyBytes / (1024 * 1024)} MiB are accepted.");

    /// <summary>Raised when a body passes the limit while it is read.</summary>
    private sealed class BodyTooLargeException : Exception
    {
        public BodyTooLargeException()
            : base("The request body is larger than the limit.")
        {
        }
    }

    /// <summary>Counts what is read and stops at the limit, so a body without Content-Length is bounded too.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            BytesRead += read;
            return BytesRead > limit ? throw new BodyTooLargeException() : read;
        }
    }
}
