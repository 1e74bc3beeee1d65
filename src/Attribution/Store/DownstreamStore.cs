using Attribution.Common;
using Dapper;

namespace Attribution.Store;


/// <summary>Downstream touches per target and the PR counters derived from them.</summary>
public sealed class DownstreamStore(IDbConnectionFactory connections)
{
    /// <summary>The <c>target_key</c> of a PR in <c>downstream_touches</c>: <c>provider/number</c>.</summary>
    public static string PrKey(string provider, long number) => $"{provider}/{number}";

    private const string ExistingSql = """
        SELECT target_kind AS TargetKind, target_key AS TargetKey, touch_sha AS TouchSha, classification AS Classification, files_json AS FilesJson,
               lines_changed AS LinesChanged
        FROM downstream_touches WHERE repo_slug = @RepoSlug
        """;

    private const string UpsertSql = """
        INSERT INTO downstream_touches (repo_slug, target_kind, target_key, touch_sha, classification, touched_ts, files_json, lines_changed)
        VALUES (@RepoSlug, @TargetKind, @TargetKey, @TouchSha, @Classification, @TouchedTs, @FilesJson, @LinesChanged)
        ON CONFLICT (repo_slug, target_kind, target_key, touch_sha) DO UPDATE SET
            classification = excluded.classification, touched_ts = excluded.touched_ts, files_json = excluded.files_json,
            lines_changed = excluded.lines_changed
        """;

    private const string DeleteSql = "DELETE FROM downstream_touches WHERE repo_slug = @RepoSlug AND target_kind = @TargetKind AND target_key = @TargetKey AND touch_sha = @TouchSha";

    /// <summary>
    /// Makes the touches of each target in <paramref name="targets"/> exactly those in <paramref name="touches"/>;
    /// only differences are written. Returns (written, removed). With <paramref name="onlyTargets"/> (an incremental pass),
    /// the stored rows are read for those targets alone, not the whole repository.
    /// </summary>
    public async Task<(int Written, int Removed)> ReplaceAsync(
        string repoSlug, IReadOnlySet<(string Kind, string Key)> targets, IReadOnlyList<DownstreamTouch> touches, CancellationToken cancellationToken, bool onlyTargets = false)
    {
        var slug = RepoSlug.Normalize(repoSlug);
        await using var unit = await connections.BeginAsync(cancellationToken);
        var existing = (await ReadAsync<TouchRow>(unit.Connection, unit.Transaction, ExistingSql, slug, onlyTargets ? targets : null, cancellationToken))
            .Where(r => targets.Contains((r.TargetKind, r.TargetKey)))
            .ToDictionary(r => (r.TargetKind, r.TargetKey, r.TouchSha));
        int written = 0, removed = 0;
        foreach (var touch in touches)
        {
            if (existing.Remove((touch.TargetKind, touch.TargetKey, touch.TouchSha), out var old)
                && old.Classification == touch.Classification && old.FilesJson == touch.FilesJson && old.LinesChanged == touch.LinesChanged)
            {
                continue;
            }

            await unit.Connection.ExecuteAsync(new CommandDefinition(UpsertSql, new
            {
                RepoSlug = slug,
                touch.TargetKind,
                touch.TargetKey,
                touch.TouchSha,
                touch.Classification,
                touch.TouchedTs,
                touch.FilesJson,
                touch.LinesChanged,
            }, unit.Transaction, cancellationToken: cancellationToken));
            written++;
        }

        foreach (var stale in existing.Values)
        {
            await unit.Connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { RepoSlug = slug, stale.TargetKind, stale.TargetKey, stale.TouchSha }, unit.Transaction, cancellationToken: cancellationToken));
            removed++;
        }

        await unit.CommitAsync(cancellationToken);
        return (written, removed);
    }

    private const string UpdatePrCountersSql = """
        UPDATE pr_outcomes SET downstream_touch_count = @Count, last_downstream_touch_ts = @Last
        WHERE provider = @Provider AND repo_slug = @RepoSlug AND pr_number = @PrNumber
        """;

    /// <summary>Sets <c>downstream_touch_count</c> and <c>last_downstream_touch_ts</c> of PRs.</summary>
    public async Task UpdatePrCountersAsync(string repoSlug, IReadOnlyList<(string Provider, long PrNumber, int Count, DateTimeOffset? Last)> counters, CancellationToken cancellationToken)
    {
        if (counters.Count == 0)
        {
            return;
        }

        var slug = RepoSlug.Normalize(repoSlug);
        await using var unit = await connections.BeginAsync(cancellationToken);
        foreach (var (provider, number, count, last) in counters)
        {
            await unit.Connection.ExecuteAsync(new CommandDefinition(UpdatePrCountersSql, new { Provider = provider, RepoSlug = slug, PrNumber = (int)number, Count = count, Last = last }, unit.Transaction, cancellationToken: cancellationToken));
        }

        await unit.CommitAsync(cancellationToken);
    }

    private const string LineOutcomesSql = """
        SELECT target_kind AS TargetKind, target_key AS TargetKey, lines_written AS LinesWritten, lines_at_head AS LinesAtHead,
               lines_after_14d AS LinesAfter14d, lines_after_30d AS LinesAfter30d, lines_rewritten_by_others AS LinesRewrittenByOthers,
               head_sha AS HeadSha, fingerprint AS Fingerprint
        FROM line_outcomes WHERE repo_slug = @RepoSlug
        """;

    private const string TouchLinesSql = """
        SELECT target_kind AS TargetKind, target_key AS TargetKey, touch_sha AS TouchSha, lines_changed AS LinesChanged
        FROM downstream_touches WHERE repo_slug = @RepoSlug AND lines_changed IS NOT NULL
        """;

    /// <summary>The stored line outcomes of a repository's targets (or of <paramref name="onlyTargets"/>), and the lines each stored touch changed.</summary>
    public async Task<(IReadOnlyDictionary<(string Kind, string Key), LineOutcome> Outcomes, IReadOnlyDictionary<(string Kind, string Key, string Touch), int> TouchLines)> LineFactsAsync(
        string repoSlug, CancellationToken cancellationToken, IReadOnlySet<(string Kind, string Key)>? onlyTargets = null)
    {
        var slug = RepoSlug.Normalize(repoSlug);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var outcomes = (await ReadAsync<LineOutcomeRow>(connection, null, LineOutcomesSql, slug, onlyTargets, cancellationToken))
            .ToDictionary(r => (r.TargetKind, r.TargetKey), r => r.ToRecord());
        var lines = (await ReadAsync<TouchLinesRow>(connection, null, TouchLinesSql, slug, onlyTargets, cancellationToken))
            .ToDictionary(r => (r.TargetKind, r.TargetKey, r.TouchSha), r => r.LinesChanged);
        return (outcomes, lines);
    }

    /// <summary>Rows of a per-target table for the repository, or for <paramref name="targets"/> alone (by kind, in chunks of keys).</summary>
    private async Task<List<T>> ReadAsync<T>(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string sql, string slug, IReadOnlySet<(string Kind, string Key)>? targets,
        CancellationToken cancellationToken)
    {
        if (targets is null)
        {
            return (await connection.QueryAsync<T>(new CommandDefinition(sql, new { RepoSlug = slug }, transaction, cancellationToken: cancellationToken))).AsList();
        }

        var rows = new List<T>();
        var byKey = InList(sql + " AND target_kind = @TargetKind AND target_key = ANY(@Keys)");
        foreach (var kind in targets.GroupBy(t => t.Kind))
        {
            foreach (var keys in kind.Select(t => t.Key).Chunk(SqlLists.ChunkSize))
            {
                rows.AddRange(await connection.QueryAsync<T>(new CommandDefinition(byKey, new { RepoSlug = slug, TargetKind = kind.Key, Keys = keys }, transaction, cancellationToken: cancellationToken)));
            }
        }

        return rows;
    }

    private const string LineOutcomesOfSql = """
        SELECT target_kind AS TargetKind, target_key AS TargetKey, lines_written AS LinesWritten, lines_at_head AS LinesAtHead,
               lines_after_14d AS LinesAfter14d, lines_after_30d AS LinesAfter30d, lines_rewritten_by_others AS LinesRewrittenByOthers,
               head_sha AS HeadSha, fingerprint AS Fingerprint
        FROM line_outcomes WHERE repo_slug = @RepoSlug AND target_kind = @TargetKind AND target_key = ANY(@Keys)
        """;

    /// <summary>The line outcomes of some targets of one kind (keys as stored: shas, or <c>provider/number</c>).</summary>
    public async Task<IReadOnlyList<LineOutcome>> LineOutcomesAsync(string repoSlug, string targetKind, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<LineOutcomeRow>(new CommandDefinition(InList(LineOutcomesOfSql), new { RepoSlug = RepoSlug.Normalize(repoSlug), TargetKind = targetKind, Keys = keys.ToArray() }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    private const string TouchesOfSql = """
        SELECT target_kind AS TargetKind, target_key AS TargetKey, touch_sha AS TouchSha, classification AS Classification, touched_ts AS TouchedTs,
               files_json AS FilesJson, lines_changed AS LinesChanged
        FROM downstream_touches WHERE repo_slug = @RepoSlug AND target_kind = @TargetKind AND target_key = ANY(@Keys)
        ORDER BY touched_ts, touch_sha
        """;

    /// <summary>The stored touches of some targets of one kind, oldest first.</summary>
    public async Task<IReadOnlyList<DownstreamTouch>> TouchesOfAsync(string repoSlug, string targetKind, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoredTouchRow>(new CommandDefinition(InList(TouchesOfSql), new { RepoSlug = RepoSlug.Normalize(repoSlug), TargetKind = targetKind, Keys = keys.ToArray() }, cancellationToken: cancellationToken));
        return rows.Select(r => new DownstreamTouch(r.TargetKind, r.TargetKey, r.TouchSha, r.Classification, r.TouchedTs, r.FilesJson, r.LinesChanged)).ToList();
    }

    private string InList(string sql) => SqlLists.Any(connections.Dialect, sql);

    private sealed class StoredTouchRow
    {
        public string TargetKind { get; set; } = "";
        public string TargetKey { get; set; } = "";
        public string TouchSha { get; set; } = "";
        public string Classification { get; set; } = "";
        public DateTimeOffset TouchedTs { get; set; }
        public string FilesJson { get; set; } = "";
        public int? LinesChanged { get; set; }
    }

    private const string UpsertOutcomeSql = """
        INSERT INTO line_outcomes (repo_slug, target_kind, target_key, lines_written, lines_at_head, lines_after_14d, lines_after_30d,
                                   lines_rewritten_by_others, head_sha, fingerprint, computed_ts)
        VALUES (@RepoSlug, @TargetKind, @TargetKey, @LinesWritten, @LinesAtHead, @LinesAfter14d, @LinesAfter30d, @LinesRewrittenByOthers, @HeadSha, @Fingerprint, @ComputedTs)
        ON CONFLICT (repo_slug, target_kind, target_key) DO UPDATE SET
            lines_written = excluded.lines_written, lines_at_head = excluded.lines_at_head, lines_after_14d = excluded.lines_after_14d,
            lines_after_30d = excluded.lines_after_30d, lines_rewritten_by_others = excluded.lines_rewritten_by_others,
            head_sha = excluded.head_sha, fingerprint = excluded.fingerprint, computed_ts = excluded.computed_ts
        """;

    private const string DeleteOutcomeSql = "DELETE FROM line_outcomes WHERE repo_slug = @RepoSlug AND target_kind = @TargetKind AND target_key = @TargetKey";

    /// <summary>
    /// Makes the line outcomes of the targets in <paramref name="targets"/> exactly <paramref name="outcomes"/> (a target
    /// without one loses its row); unchanged rows are not written. Returns how many rows were written.
    /// </summary>
    public async Task<int> ReplaceLineOutcomesAsync(
        string repoSlug, IReadOnlySet<(string Kind, string Key)> targets, IReadOnlyList<LineOutcome> outcomes, DateTimeOffset computedAt, CancellationToken cancellationToken,
        bool onlyTargets = false)
    {
        var slug = RepoSlug.Normalize(repoSlug);
        await using var unit = await connections.BeginAsync(cancellationToken);
        var existing = (await ReadAsync<LineOutcomeRow>(unit.Connection, unit.Transaction, LineOutcomesSql, slug, onlyTargets ? targets : null, cancellationToken))
            .Where(r => targets.Contains((r.TargetKind, r.TargetKey)))
            .ToDictionary(r => (r.TargetKind, r.TargetKey), r => r.ToRecord());
        var written = 0;
        foreach (var outcome in outcomes)
        {
            if (existing.Remove((outcome.TargetKind, outcome.TargetKey), out var old) && old == outcome)
            {
                continue;
            }

            await unit.Connection.ExecuteAsync(new CommandDefinition(UpsertOutcomeSql, new
            {
                RepoSlug = slug,
                outcome.TargetKind,
                outcome.TargetKey,
                outcome.LinesWritten,
                outcome.LinesAtHead,
                outcome.LinesAfter14d,
                outcome.LinesAfter30d,
                outcome.LinesRewrittenByOthers,
                outcome.HeadSha,
                outcome.Fingerprint,
                ComputedTs = computedAt,
            }, unit.Transaction, cancellationToken: cancellationToken));
            written++;
        }

        foreach (var stale in existing.Keys)
        {
            await unit.Connection.ExecuteAsync(new CommandDefinition(DeleteOutcomeSql, new { RepoSlug = slug, TargetKind = stale.TargetKind, TargetKey = stale.TargetKey }, unit.Transaction, cancellationToken: cancellationToken));
        }

        await unit.CommitAsync(cancellationToken);
        return written;
    }

    private sealed class TouchLinesRow
    {
        public string TargetKind { get; set; } = "";
        public string TargetKey { get; set; } = "";
        public string TouchSha { get; set; } = "";
        public int LinesChanged { get; set; }
    }

    private sealed class TouchRow
    {
        public string TargetKind { get; set; } = "";
        public string TargetKey { get; set; } = "";
        public string TouchSha { get; set; } = "";
        public string Classification { get; set; } = "";
        public string FilesJson { get; set; } = "";
        public int? LinesChanged { get; set; }
    }
}
