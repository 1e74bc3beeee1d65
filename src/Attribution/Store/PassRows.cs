using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace Attribution.Store;

/// <summary>
/// Every row an attribution pass writes (links with their evidence, PR links, downstream touches, line outcomes, PR
/// counters), as text in a stable order: what an incremental pass and a full pass over the same inputs must agree on.
/// </summary>
public static class PassRows
{
    private static readonly string[] Statements =
    [
        "SELECT commit_sha, session_id, link_type, confidence, evidence_json FROM commit_session_link ORDER BY commit_sha, session_id",
        "SELECT session_id, provider, pr_number, reason, confidence, evidence_json FROM session_pr_links ORDER BY session_id, provider, pr_number",
        "SELECT target_kind, target_key, touch_sha, classification, touched_ts, files_json, lines_changed FROM downstream_touches ORDER BY target_kind, target_key, touch_sha",
        "SELECT target_kind, target_key, lines_written, lines_at_head, lines_after_14d, lines_after_30d, lines_rewritten_by_others, head_sha, fingerprint FROM line_outcomes ORDER BY target_kind, target_key",
        "SELECT provider, repo_slug, pr_number, downstream_touch_count, last_downstream_touch_ts, linked_session_ids FROM pr_outcomes ORDER BY provider, repo_slug, pr_number",
    ];

    /// <summary>One line per row (fields separated by <c>|</c>), one <c>--</c> line after each table.</summary>
    public static async Task<string> TextAsync(IDbConnectionFactory connections, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        await ReadAsync(connections, line => text.Append(line).Append('\n'), cancellationToken);
        return text.ToString();
    }

    /// <summary>The SHA-256 of <see cref="TextAsync"/>'s text, read row by row (a large history's rows do not fit one string).</summary>
    public static async Task<string> DigestAsync(IDbConnectionFactory connections, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await ReadAsync(connections, line => hash.AppendData(Encoding.UTF8.GetBytes(line + "\n")), cancellationToken);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static async Task ReadAsync(IDbConnectionFactory connections, Action<string> line, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        foreach (var sql in Statements)
        {
            await foreach (var row in connection.QueryUnbufferedAsync(sql).WithCancellation(cancellationToken))
            {
                line(string.Join('|', ((IDictionary<string, object?>)row).Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))));
            }

            line("--");
        }
    }
}
