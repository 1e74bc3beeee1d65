using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Attribution.Common;

namespace Attribution.Artifacts;

/// <summary>
/// Signs and verifies attribution metadata (CONTRACT §7): <c>sig</c> = base64url(HMAC-SHA256(trimmed secret,
/// canonical)), canonical = v, instance id, workspace, lowercased repo, number, span id, agent id, agent name,
/// each trimmed, joined by <c>\n</c>.
/// </summary>
public static class AttributionSigner
{
    public const int Version = 1;

    public static string Canonical(AttributionMetadata metadata)
    {
        var m = metadata.Normalized();
        return string.Join('\n',
            m.V.ToString(CultureInfo.InvariantCulture),
            m.InstanceId,
            m.Workspace,
            m.Repo,
            m.Number.ToString(CultureInfo.InvariantCulture),
            m.SpanId,
            m.AgentId,
            m.AgentName);
    }

    public static string ComputeSignature(AttributionMetadata metadata, string secret) =>
        Base64Url.Encode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret.Trim()), Encoding.UTF8.GetBytes(Canonical(metadata))));

    /// <summary>
    /// Builds signed metadata for a session; the repo is written lowercased, as it is signed. A null workspace is the
    /// key's; any other value is signed as given (trimmed), <c>""</c> included, as the agents project signs it.
    /// </summary>
    public static AttributionMetadata Create(SigningKey key, string? workspace, string repo, long number, string sessionId, string agentId, string agentName)
    {
        if (!key.HasSecret)
        {
            throw new InvalidOperationException("No signing secret is configured.");
        }

        var metadata = new AttributionMetadata
        {
            V = Version,
            InstanceId = key.InstanceId,
            Workspace = workspace ?? key.Workspace,
            Repo = repo,
            Number = number,
            SpanId = sessionId,
            AgentId = agentId,
            AgentName = agentName,
        }.Normalized();
        return metadata with { Sig = ComputeSignature(metadata, key.Secret!) };
    }

    /// <summary>
    /// Verifies metadata for an artifact of <paramref name="repo"/>. <paramref name="number"/> is the issue/PR the
    /// artifact sits on when known: metadata naming another one was copied from elsewhere and is refused (as in
    /// the <c>agents</c> resolver). Commits pass null: a run's commit may land in a PR of another number.
    /// </summary>
    public static AttributionCheck Verify(AttributionMetadata metadata, SigningKey key, string repo, long? number)
    {
        var m = metadata.Normalized();
        if (m.SpanId.Length == 0)
        {
            return new AttributionCheck(AttributionVerdict.Malformed, "metadata has no span_id", m);
        }

        if (!key.HasSecret)
        {
            return new AttributionCheck(AttributionVerdict.NoSecret, "no signing secret is configured (ATTRIBUTION_SIGNING_SECRET); signed metadata cannot be verified", m);
        }

        if (m.Sig.Length == 0)
        {
            return new AttributionCheck(AttributionVerdict.Unsigned, "metadata is unsigned", m);
        }

        if (m.V != Version)
        {
            return new AttributionCheck(AttributionVerdict.UnsupportedVersion, $"unsupported attribution version {m.V}", m);
        }

        if (!string.Equals(m.InstanceId, key.InstanceId, StringComparison.Ordinal))
        {
            return new AttributionCheck(AttributionVerdict.InstanceMismatch, $"attribution instance '{m.InstanceId}' does not match local instance '{key.InstanceId}'", m);
        }

        var expected = Encoding.UTF8.GetBytes(ComputeSignature(m, key.Secret!));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(m.Sig)))
        {
            return new AttributionCheck(AttributionVerdict.InvalidSignature, "invalid attribution signature", m);
        }

        var workspace = AttributionMetadata.NormalizeWorkspace(m.Workspace);
        if (!string.Equals(workspace, key.Workspace, StringComparison.Ordinal))
        {
            return new AttributionCheck(AttributionVerdict.WorkspaceMismatch, $"metadata workspace '{workspace}' does not match query workspace '{key.Workspace}'", m);
        }

        var want = Common.RepoSlug.Normalize(repo);
        if (!string.Equals(m.Repo, want, StringComparison.Ordinal))
        {
            return new AttributionCheck(AttributionVerdict.RepoMismatch, $"metadata repo '{m.Repo}' does not match '{want}'", m);
        }

        if (number is > 0 && m.Number != 0 && m.Number != number)
        {
            return new AttributionCheck(AttributionVerdict.NumberMismatch, $"metadata names #{m.Number}, the artifact is on #{number}", m);
        }

        return new AttributionCheck(AttributionVerdict.Valid, "valid signed attribution", m);
    }
}
