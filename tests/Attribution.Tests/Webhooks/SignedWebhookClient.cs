using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Attribution.Tests.Webhooks;

/// <summary>Sends deliveries the way GitHub, GitLab and a Standard Webhooks CI sender do, signed with the test secrets.</summary>
public sealed class SignedWebhookClient(HttpClient http)
{
    public const string GitHubSecret = "gh-test-secret-Zq9";
    public const string GitLabToken = "gl-test-token-Xv4";
    public const string CiSecret = "whsec_dGVzdC1jaS1zZWNyZXQtMTIzNDU2Nzg5MA==";

    public static Dictionary<string, string?> AllSecrets => new()
    {
        ["Attribution:Webhooks:GitHubSecret"] = GitHubSecret,
        ["Attribution:Webhooks:GitLabToken"] = GitLabToken,
        ["Attribution:Webhooks:CiSecret"] = CiSecret,
    };

    public HttpClient Http => http;

    public static string HubSignature(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static string StandardSignature(string secret, string id, long timestamp, byte[] body)
    {
        var key = secret.StartsWith("whsec_", StringComparison.Ordinal) ? Convert.FromBase64String(secret[6..]) : Encoding.UTF8.GetBytes(secret);
        var content = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray();
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }

    /// <summary>A GitHub delivery: X-GitHub-Event, X-GitHub-Delivery and X-Hub-Signature-256 over the exact bytes.</summary>
    public Task<HttpResponseMessage> GitHubAsync(string eventName, byte[] body, string? deliveryId = null, string? signature = null, bool sign = true)
    {
        var request = Json("/api/webhooks/github", body);
        if (eventName.Length > 0)
        {
            request.Headers.Add("X-GitHub-Event", eventName);
        }

        request.Headers.Add("X-GitHub-Delivery", deliveryId ?? Guid.NewGuid().ToString());
        if (sign)
        {
            request.Headers.Add("X-Hub-Signature-256", signature ?? HubSignature(GitHubSecret, body));
        }

        return http.SendAsync(request);
    }

    /// <summary>A GitLab delivery with X-Gitlab-Token and, when given, Idempotency-Key / X-Gitlab-Event-UUID.</summary>
    public Task<HttpResponseMessage> GitLabAsync(string eventName, byte[] body, string? idempotencyKey = null, string? eventUuid = null, string? token = GitLabToken)
    {
        var request = Json("/api/webhooks/gitlab", body);
        if (eventName.Length > 0)
        {
            request.Headers.Add("X-Gitlab-Event", eventName);
        }

        if (token is not null)
        {
            request.Headers.Add("X-Gitlab-Token", token);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (eventUuid is not null)
        {
            request.Headers.Add("X-Gitlab-Event-UUID", eventUuid);
        }

        return http.SendAsync(request);
    }

    /// <summary>A generic CI delivery signed with Standard Webhooks headers.</summary>
    public Task<HttpResponseMessage> CiStandardAsync(byte[] body, string id, DateTimeOffset timestamp, string? signature = null)
    {
        var request = Json("/api/webhooks/ci", body);
        var seconds = timestamp.ToUnixTimeSeconds();
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signature ?? StandardSignature(CiSecret, id, seconds, body));
        return http.SendAsync(request);
    }

    /// <summary>A generic CI delivery signed like GitHub (X-Webhook-Signature-256), optionally with X-Webhook-Id.</summary>
    public Task<HttpResponseMessage> CiHubAsync(byte[] body, string? id = null)
    {
        var request = Json("/api/webhooks/ci", body);
        request.Headers.Add("X-Webhook-Signature-256", HubSignature(CiSecret, body));
        if (id is not null)
        {
            request.Headers.Add("X-Webhook-Id", id);
        }

        return http.SendAsync(request);
    }

    private static HttpRequestMessage Json(string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }
}
