using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Attribution.Webhooks;

/// <summary>Outcome of authenticating a delivery.</summary>
public enum WebhookSignatureResult
{
    Valid,
    Missing,
    Malformed,
    Mismatch,
    TimestampOutOfRange,
}

/// <summary>
/// Pure checks of webhook authenticity over the raw body, all compared in constant time. Nothing here
/// logs or throws on hostile input.
/// </summary>
public static class WebhookSignatureValidator
{
    /// <summary>Standard Webhooks: timestamps further than this from now are refused.</summary>
    public static readonly TimeSpan TimestampTolerance = TimeSpan.FromMinutes(5);

    /// <summary>GitHub-style <c>sha256=&lt;hex HMAC-SHA256(secret, body)&gt;</c> (also the CI receiver's <c>X-Webhook-Signature-256</c>).</summary>
    public static WebhookSignatureResult ValidateHubSignature(string secret, ReadOnlySpan<byte> body, string? header)
    {
        Span<byte> presented = stackalloc byte[32];
        var form = ParseHubSignature(header, presented);
        if (form != WebhookSignatureResult.Valid)
        {
            return form;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return MatchHubSignature(expected, presented);
    }

    /// <summary>
    /// The signature a <c>sha256=&lt;hex&gt;</c> header presents, into <paramref name="presented"/> (32 bytes): Valid when the
    /// header is well formed (checked before the body is read), Missing or Malformed otherwise.
    /// </summary>
    public static WebhookSignatureResult ParseHubSignature(string? header, Span<byte> presented)
    {
        if (string.IsNullOrEmpty(header))
        {
            return WebhookSignatureResult.Missing;
        }

        const string prefix = "sha256=";
        if (!header.StartsWith(prefix, StringComparison.Ordinal) || header.Length != prefix.Length + 64)
        {
            return WebhookSignatureResult.Malformed;
        }

        return Convert.FromHexString(header.AsSpan(prefix.Length), presented, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32
            ? WebhookSignatureResult.Malformed
            : WebhookSignatureResult.Valid;
    }

    /// <summary>The HMAC computed over the body (however it was read) against the one presented, in constant time.</summary>
    public static WebhookSignatureResult MatchHubSignature(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> presented) =>
        CryptographicOperations.FixedTimeEquals(expected, presented) ? WebhookSignatureResult.Valid : WebhookSignatureResult.Mismatch;

    /// <summary>GitLab's <c>X-Gitlab-Token</c>: a shared secret sent as is. Hashing both first keeps the comparison independent of length.</summary>
    public static WebhookSignatureResult ValidateToken(string expected, string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return WebhookSignatureResult.Missing;
        }

        var a = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var b = SHA256.HashData(Encoding.UTF8.GetBytes(expected));
        return CryptographicOperations.FixedTimeEquals(a, b) ? WebhookSignatureResult.Valid : WebhookSignatureResult.Mismatch;
    }

    /// <summary>The signing key of a Standard Webhooks secret: base64 after <c>whsec_</c>, else the secret's UTF-8 bytes.</summary>
    public static byte[] StandardWebhooksKey(string secret)
    {
        const string prefix = "whsec_";
        if (secret.StartsWith(prefix, StringComparison.Ordinal))
        {
            try
            {
                return Convert.FromBase64String(secret[prefix.Length..]);
            }
            catch (FormatException)
            {
                // Not base64 after all: fall back to the text itself.
            }
        }

        return Encoding.UTF8.GetBytes(secret);
    }

    /// <summary>
    /// Standard Webhooks: <c>webhook-signature</c> holds space-separated <c>v1,&lt;base64&gt;</c> entries over
    /// <c>"{id}.{timestamp}.{body}"</c>; any one matching is enough. The timestamp (unix seconds) must be within 5 minutes of <paramref name="now"/>.
    /// </summary>
    public static WebhookSignatureResult ValidateStandardWebhook(string secret, string? id, string? timestamp, string? signatures, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var headers = CheckStandardHeaders(id, timestamp, signatures, now);
        if (headers != WebhookSignatureResult.Valid)
        {
            return headers;
        }

        using var hmac = StandardWebhookHmac(secret, id!, timestamp!);
        hmac.AppendData(body);
        return MatchStandardSignatures(hmac.GetHashAndReset(), signatures!);
    }

    /// <summary>What Standard Webhooks headers say before the body is read: present, and a timestamp within the tolerance.</summary>
    public static WebhookSignatureResult CheckStandardHeaders(string? id, string? timestamp, string? signatures, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signatures))
        {
            return WebhookSignatureResult.Missing;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return WebhookSignatureResult.Malformed;
        }

        var skew = now.ToUnixTimeSeconds() - seconds;
        return Math.Abs((decimal)skew) > (decimal)TimestampTolerance.TotalSeconds ? WebhookSignatureResult.TimestampOutOfRange : WebhookSignatureResult.Valid;
    }

    /// <summary>The HMAC of a Standard Webhooks delivery with its <c>id.timestamp.</c> prefix added; append the body as it is read.</summary>
    public static IncrementalHash StandardWebhookHmac(string secret, string id, string timestamp)
    {
        var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, StandardWebhooksKey(secret));
        hmac.AppendData(Encoding.UTF8.GetBytes($"{id}.{timestamp}."));
        return hmac;
    }

    /// <summary>The HMAC computed over the signed content against every <c>v1,&lt;base64&gt;</c> entry presented.</summary>
    public static WebhookSignatureResult MatchStandardSignatures(ReadOnlySpan<byte> expected, string signatures)
    {
        var sawCandidate = false;
        var match = false;
        foreach (var entry in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = entry.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || !entry.AsSpan(0, comma).SequenceEqual("v1"))
            {
                continue;
            }

            sawCandidate = true;
            var presented = new byte[32];
            if (Convert.TryFromBase64String(entry[(comma + 1)..], presented, out var written) && written == 32)
            {
                // Check every entry (no early exit) so timing does not reveal which one matched.
                match |= CryptographicOperations.FixedTimeEquals(expected, presented);
            }
        }

        return match ? WebhookSignatureResult.Valid : sawCandidate ? WebhookSignatureResult.Mismatch : WebhookSignatureResult.Malformed;
    }
}
