using Attribution.Common;
using System.Security.Cryptography;
using System.Text.Json;
using Attribution.Hosting;
using Attribution.Operations;
using Attribution.Store;
using Microsoft.Extensions.Options;

namespace Attribution.Webhooks;

/// <summary>
/// The receivers' common path: secret configured (503) → body within the limit (413) → authenticated over the
/// raw bytes (403) → event header and JSON of the right shape (400) → durably stored (202, or 200 duplicate).
/// Nothing reaches the database before authentication and shape checks pass.
/// </summary>
public sealed class WebhookReceiver(
    IOptionsMonitor<WebhookOptions> options,
    DeliveryWriter writer,
    TimeProvider time,
    WebhookBodyBudget budget,
    ILogger<WebhookReceiver> logger)
{
    private const int MaxDeliveryIdLength = 200;

    public async Task<IResult> ReceiveAsync(HttpContext context, string receiver, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var secret = receiver switch
        {
            WebhookDispatcher.GitHub => settings.GitHubSecret,
            WebhookDispatcher.GitLab => settings.GitLabToken,
            _ => settings.CiSecret,
        };
        if (string.IsNullOrEmpty(secret))
        {
            Count(receiver, "unconfigured");
            WebhookLog.ReceiverUnconfigured(logger, receiver);
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Webhook receiver not configured",
                detail: $"Set {SecretVariable(receiver)} to enable the {receiver} receiver.");
        }

        var request = context.Request;
        var headers = request.Headers;
        var standardWebhook = receiver == WebhookDispatcher.Ci && headers.ContainsKey("webhook-signature");

        // What can be checked before the body is read is checked first: GitLab's token, and the form of the signature
        // headers (and the Standard Webhooks timestamp). The HMAC over the body is computed while it is read.
        var presented = new byte[32];
        IncrementalHash? hmac = null;
        var authentication = receiver switch
        {
            WebhookDispatcher.GitHub => WebhookSignatureValidator.ParseHubSignature(headers["X-Hub-Signature-256"], presented),
            WebhookDispatcher.GitLab => WebhookSignatureValidator.ValidateToken(secret, headers["X-Gitlab-Token"]),
            _ when standardWebhook => WebhookSignatureValidator.CheckStandardHeaders(headers["webhook-id"], headers["webhook-timestamp"],
                headers["webhook-signature"], time.GetUtcNow()),
            _ => WebhookSignatureValidator.ParseHubSignature(headers["X-Webhook-Signature-256"], presented),
        };
        if (authentication != WebhookSignatureResult.Valid)
        {
            return Rejected(receiver, authentication);
        }

        if (receiver != WebhookDispatcher.GitLab)
        {
            hmac = standardWebhook
                ? WebhookSignatureValidator.StandardWebhookHmac(secret, headers["webhook-id"].ToString(), headers["webhook-timestamp"].ToString())
                : IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, System.Text.Encoding.UTF8.GetBytes(secret));
        }

        var read = await WebhookBodyReader.ReadAsync(request, settings.MaxBodyBytes, budget, hmac, cancellationToken);
        try
        {
            switch (read.Status)
            {
                case BodyReadStatus.TooLarge:
                    Count(receiver, "too_large");
                    WebhookLog.TooLarge(logger, receiver, settings.MaxBodyBytes);
                    return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large",
                        detail: $"Webhook bodies are limited to {settings.MaxBodyBytes} bytes.");
                case BodyReadStatus.Busy:
                    Count(receiver, "overloaded");
                    WebhookLog.BodiesOverBudget(logger, receiver, settings.MaxInFlightBodyBytes);
                    context.Response.Headers.RetryAfter = "5";
                    return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Busy",
                        detail: "Too many webhook bodies are being received at once; retry shortly.");
                case BodyReadStatus.Aborted:
                    Count(receiver, "aborted");
                    WebhookLog.Aborted(logger, receiver);
                    return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Body incomplete",
                        detail: "The request body ended before it was complete.");
            }

            if (hmac is not null)
            {
                var expected = hmac.GetHashAndReset();
                authentication = standardWebhook
                    ? WebhookSignatureValidator.MatchStandardSignatures(expected, headers["webhook-signature"].ToString())
                    : WebhookSignatureValidator.MatchHubSignature(expected, presented);
                if (authentication != WebhookSignatureResult.Valid)
                {
                    return Rejected(receiver, authentication);
                }
            }

            return await AcceptAsync(context, receiver, read.Body!, standardWebhook, cancellationToken);
        }
        finally
        {
            hmac?.Dispose();
            budget.Release(read.Reserved);
        }
    }

    private IResult Rejected(string receiver, WebhookSignatureResult authentication)
    {
        Count(receiver, "rejected_signature");
        WebhookLog.Rejected(logger, receiver, authentication);
        return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: RejectionDetail(receiver, authentication));
    }

    /// <summary>An authenticated body: its event, id and shape checked, then stored.</summary>
    private async Task<IResult> AcceptAsync(HttpContext context, string receiver, byte[] body, bool standardWebhook, CancellationToken cancellationToken)
    {
        var headers = context.Request.Headers;
        string? eventName = receiver switch
        {
            WebhookDispatcher.GitHub => headers["X-GitHub-Event"].ToString(),
            WebhookDispatcher.GitLab => headers["X-Gitlab-Event"].ToString(),
            _ => GenericCiHandler.EventName,
        };
        if (string.IsNullOrWhiteSpace(eventName))
        {
            return BadRequest(receiver, $"The {(receiver == WebhookDispatcher.GitHub ? "X-GitHub-Event" : "X-Gitlab-Event")} header is required.");
        }

        // Without a delivery id header the body's hash is the id; otherwise it is taken only if the body is stored.
        var headerId = DeliveryId(receiver, headers, standardWebhook);
        var bodyHash = headerId is null ? DeliveryStore.Sha256Hex(body) : null;
        var deliveryId = headerId ?? "sha256:" + bodyHash;
        if (deliveryId.Length > MaxDeliveryIdLength)
        {
            return BadRequest(receiver, $"The delivery id is longer than {MaxDeliveryIdLength} characters.");
        }

        // JsonDocument checks structure, not the UTF-8 inside strings: that would surface later as an
        // InvalidOperationException (500) when a handler reads the value. JSON must be UTF-8 (RFC 8259).
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            return BadRequest(receiver, "The body is not valid UTF-8.");
        }

        ParsedDelivery parsed;
        try
        {
            using var document = JsonDocument.Parse(body);
            parsed = WebhookDispatcher.Parse(receiver, eventName, document.RootElement, deliveryId);
        }
        catch (JsonException)
        {
            return BadRequest(receiver, "The body is not valid JSON.");
        }
        catch (PayloadShapeException shape)
        {
            Count(receiver, "bad_request");
            WebhookLog.BadRequest(logger, receiver, $"{eventName} payload of the wrong shape ({string.Join(", ", shape.Errors.Keys)})");
            return Results.ValidationProblem(shape.Errors, title: "The payload does not have the shape its event needs.",
                detail: $"Event '{eventName}': nothing was stored.");
        }

        // PostgreSQL text cannot hold NUL: stored as is, it would fail the whole group-commit batch (503 for all).
        if (parsed.Action?.Contains('\0', StringComparison.Ordinal) == true)
        {
            return BadRequest(receiver, "The action contains a NUL character.");
        }

        var delivery = new NewDelivery(receiver, deliveryId, eventName, parsed.Action, parsed.RepoSlug, body, bodyHash, time.GetUtcNow());
        (StoreOutcome Outcome, long? RowId) stored;
        try
        {
            stored = await writer.StoreAsync(delivery, parsed, cancellationToken);
        }
        catch (Exception ex) when (StoreErrors.IsUnavailable(ex))
        {
            context.Response.Headers.RetryAfter = "5";
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Delivery not stored",
                detail: "The database did not take the delivery; retry later.");
        }

        switch (stored.Outcome)
        {
            case StoreOutcome.Overloaded:
                Count(receiver, "overloaded");
                WebhookLog.Overloaded(logger, receiver);
                context.Response.Headers.RetryAfter = "1";
                return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Busy",
                    detail: "Too many deliveries are waiting to be stored; retry shortly.");
            case StoreOutcome.Duplicate:
                Count(receiver, "duplicate");
                WebhookLog.Duplicate(logger, receiver, deliveryId);
                return Results.Json(new DuplicateAnswer(deliveryId, true), statusCode: StatusCodes.Status200OK);
            default:
                Count(receiver, "accepted");
                WebhookLog.Accepted(logger, receiver, deliveryId, eventName, parsed.Action);
                return Results.Json(new AcceptedAnswer(deliveryId, eventName, parsed.Action), statusCode: StatusCodes.Status202Accepted);
        }
    }

    private IResult BadRequest(string receiver, string detail)
    {
        Count(receiver, "bad_request");
        WebhookLog.BadRequest(logger, receiver, detail);
        return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: detail);
    }

    private static string? DeliveryId(string receiver, IHeaderDictionary headers, bool standardWebhook)
    {
        string? id = receiver switch
        {
            WebhookDispatcher.GitHub => headers["X-GitHub-Delivery"],
            WebhookDispatcher.GitLab => FirstNonEmpty(headers["Idempotency-Key"], headers["X-Gitlab-Event-UUID"]),
            _ when standardWebhook => headers["webhook-id"],
            _ => headers["X-Webhook-Id"],
        };
        return string.IsNullOrWhiteSpace(id) ? null : id.Trim();
    }

    private static string? FirstNonEmpty(string? a, string? b) => !string.IsNullOrWhiteSpace(a) ? a : b;

    private static string SecretVariable(string receiver) => receiver switch
    {
        WebhookDispatcher.GitHub => "ATTRIBUTION_GITHUB_WEBHOOK_SECRET",
        WebhookDispatcher.GitLab => "ATTRIBUTION_GITLAB_WEBHOOK_TOKEN",
        _ => "ATTRIBUTION_CI_WEBHOOK_SECRET",
    };

    private static string RejectionDetail(string receiver, WebhookSignatureResult result) => (receiver, result) switch
    {
        (_, WebhookSignatureResult.TimestampOutOfRange) => "The webhook-timestamp is more than 5 minutes from now.",
        (WebhookDispatcher.GitLab, _) => "The X-Gitlab-Token header is missing or wrong.",
        (WebhookDispatcher.GitHub, _) => "The X-Hub-Signature-256 header is missing or does not match the body.",
        _ => "The webhook-signature (Standard Webhooks) or X-Webhook-Signature-256 header is missing or does not match the body.",
    };

    private static void Count(string receiver, string outcome) => AttributionMetrics.Deliveries.WithLabels(receiver, outcome).Inc();

    /// <summary>202 answer.</summary>
    public sealed record AcceptedAnswer(string Delivery, string Event, string? Action);

    /// <summary>200 answer for a delivery id seen before.</summary>
    public sealed record DuplicateAnswer(string Delivery, bool Duplicate);
}
