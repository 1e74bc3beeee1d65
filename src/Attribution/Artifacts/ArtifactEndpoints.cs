using System.Globalization;
using Attribution.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Attribution.Store;

namespace Attribution.Artifacts;

/// <summary><c>GET /api/attribution/artifact</c>: which session earned this piece of review feedback (CONTRACT §7).</summary>
public static class ArtifactEndpoints
{
    public static IEndpointRouteBuilder MapArtifactApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/attribution/artifact", ResolveAsync)
            .WithName("ResolveArtifact")
            .WithSummary("Resolves review feedback (comment, review, review comment, note) to the session that produced what it comments on.")
            .WithTags("Attribution");
        return endpoints;
    }

    private static async Task<Results<Ok<ArtifactResolution>, ValidationProblem>> ResolveAsync(
        string? repo,
        string? provider,
        string? commentId,
        string? reviewCommentId,
        string? reviewId,
        string? inReplyToId,
        string? pr,
        string? path,
        string? commitSha,
        string? at,
        string? workspace,
        ArtifactResolver resolver,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(repo))
        {
            errors["repo"] = ["repo is required (owner/name)."];
        }
        else if (!RepoSlug.IsValid(repo))
        {
            errors["repo"] = ["repo must look like owner/name."];
        }

        if (provider is not null && provider.Trim().ToLowerInvariant() is not ("github" or "gitlab"))
        {
            errors["provider"] = ["provider is github or gitlab."];
        }

        CheckId(errors, "commentId", commentId);
        CheckId(errors, "reviewCommentId", reviewCommentId);
        CheckId(errors, "reviewId", reviewId);
        CheckId(errors, "inReplyToId", inReplyToId);

        long? prNumber = null;
        if (!string.IsNullOrWhiteSpace(pr))
        {
            if (long.TryParse(pr, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0)
            {
                prNumber = parsed;
            }
            else
            {
                errors["pr"] = ["pr must be a positive integer."];
            }
        }

        if (!string.IsNullOrWhiteSpace(commitSha) && (commitSha.Trim().Length is < 7 or > 64 || !commitSha.Trim().All(char.IsAsciiHexDigit)))
        {
            errors["commitSha"] = ["commitSha must be 7 to 64 hex digits."];
        }

        if (workspace is not null && (workspace.Length > 100 || workspace.Any(char.IsControl)))
        {
            errors["workspace"] = ["workspace must be at most 100 characters."];
        }

        if (path is { Length: > 1000 })
        {
            errors["path"] = ["path is too long."];
        }

        DateTimeOffset? when = null;
        if (!string.IsNullOrWhiteSpace(at))
        {
            if (DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                when = parsed;
            }
            else
            {
                errors["at"] = ["at must be an ISO-8601 timestamp."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var resolution = await resolver.ResolveAsync(new ArtifactQuery
        {
            Repo = repo!,
            Provider = provider,
            CommentId = commentId,
            ReviewCommentId = reviewCommentId,
            ReviewId = reviewId,
            InReplyToId = inReplyToId,
            Pr = prNumber,
            Path = path,
            CommitSha = commitSha,
            At = when,
            Workspace = workspace,
        }, cancellationToken);
        return TypedResults.Ok(resolution);
    }

    private static void CheckId(Dictionary<string, string[]> errors, string name, string? value)
    {
        if (value is not null && (value.Trim().Length > 100 || value.Any(char.IsControl)))
        {
            errors[name] = [$"{name} must be a provider id of at most 100 characters."];
        }
    }
}
