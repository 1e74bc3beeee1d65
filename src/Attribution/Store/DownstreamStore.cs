using Dapper;

namespace Attribution.Store;

/// <summary>A later commit touching a target's files: target kind <c>commit</c> (key = sha) or <c>pr</c> (key = <c>provider/number</c>).</summary>
public sealed record DownstreamTouch(string TargetKind, string TargetKey, string TouchSha, string Classification, DateTimeOffset TouchedTs, string FilesJson);

/// <summary>Downstream touches per target and the PR counters derived from them.</summary>
public sealed class DownstreamStore(IDbConnectionFactory connections)
{
    /// <summary>The <c>target_key</c> of a PR in <c>downstream_touches</c>: <c>provider/number</c>.</summary>
    public static string PrKey(string provider, long number) => $"{provider}/{number}";

    private const string ExistingSql = """
        SELECT target_kind AS TargetKind, target_key AS TargetKey, touch_sha AS TouchSha, classification AS Classification, files_json AS FilesJson
        FROM downstream_touches WHERE repo_slug = @RepoSlug
        """;

    private const string UpsertSql = """
        INSERT INTO downstream_touches (repo_slug, target_kind, target_key, touch_sha, classification, touched_ts, files_json)
        VALUES (@RepoSlug, @TargetKind, @TargetKey, @TouchSha, @Classification, @TouchedTs, @FilesJson)
        ON CONFLICT (repo_slug, target_kind, target_key, touch_sha) DO UPDATE SET
            classification = excluded.classification, touched_ts = excluded.touched_ts, files_json = excluded.files_json
        """;

    private const string DeleteSql = "DELETE FROM downstream_touches WHERE repo_slug = @RepoSlug AND target_kind = @TargetKind AND target_key = @TargetKey AND touch_sha = @TouchSha";

    /// <summary>
    /// Makes the touches of each target in <paramref name="targets"/> exactly those in <paramref name="touches"/>;
    /// only differences are written. Returns (written, removed).
    /// </summary>
    public async Task<(int Written, int Removed)> ReplaceAsync(
        string repoSlug, IReadOnlySet<(string Kind, string Key)> targets, IReadOnlyList<DownstreamTouch> touches, CancellationToken cancellationToken)
    {
        var slug = RepoSlug.Normalize(repoSlug);
        await using var unit = await connections.BeginAsync(cancellationToken);
        var existing = (await unit.Connection.QueryAsync<TouchRow>(new CommandDefinition(ExistingSql, new { RepoSlug = slug }, unit.Transaction, cancellationToken: cancellationToken)))
            .Where(r => targets.Contains((r.TargetKind, r.TargetKey)))
            .ToDictionary(r => (r.TargetKind, r.TargetKey, r.TouchSha));
        int written = 0, removed = 0;
        foreach (var touch in touches)
        {
            if (existing.Remove((touch.TargetKind, touch.TargetKey, touch.TouchSha), out var old)
                && old.Classification == touch.Classification && old.FilesJson == touch.FilesJson)
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

    private sealed class TouchRow
    {
        public string TargetKind { get; set; } = "";
        public string TargetKey { get; set; } = "";
        public string TouchSha { get; set; } = "";
        public string Classification { get; set; } = "";
        public string FilesJson { get; set; } = "";
    }
}
