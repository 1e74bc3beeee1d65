using System.Globalization;
using System.Text;
using Attribution.Store;
using Dapper;

namespace Attribution.Linking;

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
        await using var connection = await connections.OpenAsync(cancellationToken);
        var text = new StringBuilder();
        foreach (var sql in Statements)
        {
            foreach (IDictionary<string, object?> row in await connection.QueryAsync(new CommandDefinition(sql, cancellationToken: cancellationToken)))
            {
                text.AppendJoin('|', row.Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))).Append('\n');
            }

            text.Append("--\n");
        }

        return text.ToString();
    }
}
