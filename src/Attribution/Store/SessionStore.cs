using System.Data;
using System.Data.Common;
using System.Globalization;
using Attribution.Common;
using Attribution.Sessions;
using Dapper;

namespace Attribution.Store;

/// <summary>
/// Sessions, the API messages their tokens come from (once per message id), their events and the transcript
/// files read so far. Merges are idempotent: events are unique per (session, record key, kind), messages per
/// (session, message id) keeping the largest counts, start/end widen, so a re-read or a second copy adds nothing.
/// </summary>
public sealed class SessionStore(IDbConnectionFactory connections, TimeProvider time)
{
    private const string SessionColumns = """
        session_id, agent, model, started_ts, ended_ts, cwd, git_branch, repo_slug, input_tokens, output_tokens,
        cache_write_tokens, cache_read_tokens, cost_usd, title, parent_session_id, updated_ts
        """;

    private const string EventColumns = """
        id, session_id, record_key, kind, ts, command, output_excerpt, is_error, path, abs_path, added_text, sha, branch,
        subject, url, pr_number, tool_name
        """;

    // Ids per lookup statement. Small on purpose: SQLite looks each named parameter up by a linear scan,
    // so binding cost grows with the square of the parameter count.
    private const int BatchRows = 10;

    private const string UpsertSessionSql = """
        INSERT INTO sessions (session_id, agent, started_ts, ended_ts, cwd, git_branch, repo_slug, title, parent_session_id, remote_id, updated_ts)
        VALUES (@SessionId, @Agent, @StartedTs, @EndedTs, @Cwd, @GitBranch, @RepoSlug, @Title, @ParentSessionId, @RemoteId, @Now)
        ON CONFLICT (session_id) DO UPDATE SET
            started_ts = CASE WHEN sessions.started_ts IS NULL OR (excluded.started_ts IS NOT NULL AND excluded.started_ts < sessions.started_ts)
                              THEN excluded.started_ts ELSE sessions.started_ts END,
            ended_ts = CASE WHEN sessions.ended_ts IS NULL OR (excluded.ended_ts IS NOT NULL AND excluded.ended_ts > sessions.ended_ts)
                            THEN excluded.ended_ts ELSE sessions.ended_ts END,
            cwd = COALESCE(sessions.cwd, excluded.cwd),
            git_branch = COALESCE(excluded.git_branch, sessions.git_branch),
            repo_slug = COALESCE(excluded.repo_slug, sessions.repo_slug),
            title = COALESCE(sessions.title, excluded.title),
            parent_session_id = COALESCE(sessions.parent_session_id, excluded.parent_session_id),
            remote_id = COALESCE(sessions.remote_id, excluded.remote_id),
            updated_ts = excluded.updated_ts
        """;

    // A call first stored before its result was written gets the result when the line is read again.
    private const string CompleteEventSql = """
        UPDATE session_events SET output_excerpt = COALESCE(output_excerpt, @OutputExcerpt), is_error = COALESCE(is_error, @IsError)
        WHERE session_id = @SessionId AND record_key = @RecordKey AND kind = @Kind AND (output_excerpt IS NULL OR is_error IS NULL)
        """;

    private const string MessagesSql = """
        SELECT message_id, model, ts, input_tokens, output_tokens, cache_write_tokens, cache_read_tokens
        FROM session_messages WHERE session_id = @SessionId
        """;

    private const string UpdateTotalsSql = """
        UPDATE sessions SET model = @Model, input_tokens = @InputTokens, output_tokens = @OutputTokens,
            cache_write_tokens = @CacheWriteTokens, cache_read_tokens = @CacheReadTokens, cost_usd = @CostUsd
        WHERE session_id = @SessionId
        """;

    private const string UpsertFileSql = """
        INSERT INTO session_files (path, size, byte_offset, line_count, head_hash, agent, session_id, updated_ts)
        VALUES (@Path, @Size, @ByteOffset, @LineCount, @HeadHash, @Agent, @SessionId, @Now)
        ON CONFLICT (path) DO UPDATE SET size = excluded.size, byte_offset = excluded.byte_offset, line_count = excluded.line_count,
            head_hash = excluded.head_hash, agent = excluded.agent, session_id = COALESCE(excluded.session_id, session_files.session_id),
            updated_ts = excluded.updated_ts
        """;

    /// <summary>
    /// Merges the sessions read from one or more streams (and the file positions reached) in one transaction,
    /// then recomputes each touched session's totals with <paramref name="totals"/>. <paramref name="repository"/>
    /// names each draft's repository (null: keep the stored one), given what is already stored of its session
    /// (read once, inside the transaction, for both this and the new/updated count).
    /// </summary>
    public async Task<SessionSaveResult> SaveAsync(
        IReadOnlyCollection<SessionDraft> drafts,
        Func<SessionDraft, (string? RepoSlug, string? Cwd)?, CancellationToken, Task<string?>> repository,
        IReadOnlyList<SessionFileState> files,
        Func<IReadOnlyList<SessionMessageUsage>, SessionTotals> totals,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var unit = await connections.BeginAsync(cancellationToken);

        var existing = new Dictionary<string, (string? RepoSlug, string? Cwd)>(StringComparer.Ordinal);
        foreach (var row in await QueryByKeysAsync<(string SessionId, string? RepoSlug, string? Cwd)>(
            unit.Connection, unit.Transaction, KnownSessionsSql, drafts.Select(d => d.SessionId), cancellationToken))
        {
            existing[row.SessionId] = (row.RepoSlug, row.Cwd);
        }

        var sessions = new List<(SessionDraft Draft, string? RepoSlug)>(drafts.Count);
        foreach (var draft in drafts)
        {
            sessions.Add((draft, await repository(draft, existing.TryGetValue(draft.SessionId, out var known) ? known : null, cancellationToken)));
        }

        var (created, updated) = await UpsertSessionsAsync(unit, sessions, existing, now, cancellationToken);
        await UpsertMessages.RunAsync(unit, MergedMessages(drafts), cancellationToken);
        var newEvents = await InsertEventsAsync(unit, [.. sessions.SelectMany(s => s.Draft.Events)], cancellationToken);
        await UpdateTotalsAsync(unit, drafts, existing, totals, cancellationToken);
        await UpsertFiles.RunAsync(unit, files.Select(file => (file, now)), cancellationToken);

        await unit.CommitAsync(cancellationToken);
        return new SessionSaveResult(created, updated, newEvents);
    }

    /// <summary>Upserts one row per draft; a session id seen before (stored, or earlier in this group) counts as updated.</summary>
    private static async Task<(int Created, int Updated)> UpsertSessionsAsync(
        UnitOfWork unit, IReadOnlyList<(SessionDraft Draft, string? RepoSlug)> sessions, Dictionary<string, (string? RepoSlug, string? Cwd)> existing, DateTimeOffset now, CancellationToken cancellationToken)
    {
        int created = 0, updated = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (draft, _) in sessions)
        {
            if (existing.ContainsKey(draft.SessionId) || !seen.Add(draft.SessionId))
            {
                updated++;
            }
            else
            {
                created++;
            }
        }

        await UpsertSessions.RunAsync(unit, sessions.Select(s => (s.Draft, s.RepoSlug, now)), cancellationToken);
        return (created, updated);
    }

    /// <summary>One statement must not name a key twice: copies of a message in this group merge first (largest counts, any model).</summary>
    private static IReadOnlyCollection<SessionMessage> MergedMessages(IEnumerable<SessionDraft> drafts)
    {
        var messages = new Dictionary<(string, string), SessionMessage>();
        foreach (var m in drafts.SelectMany(d => d.Messages.Values))
        {
            var key = (m.SessionId, m.MessageId);
            messages[key] = messages.TryGetValue(key, out var known)
                ? known with
                {
                    Model = m.Model ?? known.Model,
                    InputTokens = Math.Max(known.InputTokens, m.InputTokens),
                    OutputTokens = Math.Max(known.OutputTokens, m.OutputTokens),
                    CacheWriteTokens = Math.Max(known.CacheWriteTokens, m.CacheWriteTokens),
                    CacheReadTokens = Math.Max(known.CacheReadTokens, m.CacheReadTokens),
                }
                : m;
        }

        return messages.Values;
    }

    /// <summary>Recomputes model, tokens and cost of each session this group gave messages to (or created).</summary>
    private static async Task UpdateTotalsAsync(
        UnitOfWork unit, IReadOnlyCollection<SessionDraft> drafts, Dictionary<string, (string? RepoSlug, string? Cwd)> existing,
        Func<IReadOnlyList<SessionMessageUsage>, SessionTotals> totals, CancellationToken cancellationToken)
    {
        var sums = new List<(string SessionId, SessionTotals Sum)>();
        foreach (var group in drafts.GroupBy(d => d.SessionId, StringComparer.Ordinal))
        {
            var list = group.ToList();
            var isNew = !existing.ContainsKey(group.Key);
            if (!isNew && list.All(d => d.Messages.Count == 0))
            {
                continue;
            }

            // A session new in this group, read from one place, has exactly the draft's messages: no read back.
            var usage = isNew && list.Count == 1
                ? [.. list[0].Messages.Values.Select(Usage)]
                : (await unit.Connection.QueryAsync<SessionMessageUsage>(new CommandDefinition(MessagesSql, new { SessionId = group.Key }, unit.Transaction, cancellationToken: cancellationToken))).AsList();
            sums.Add((group.Key, totals(usage)));
        }

        await UpdateTotals.RunAsync(unit, sums, cancellationToken);
    }

    private static SessionMessageUsage Usage(SessionMessage m) => new()
    {
        MessageId = m.MessageId,
        Model = m.Model,
        Ts = m.Ts,
        InputTokens = m.InputTokens,
        OutputTokens = m.OutputTokens,
        CacheWriteTokens = m.CacheWriteTokens,
        CacheReadTokens = m.CacheReadTokens,
    };

    private static string? Timestamp(DateTimeOffset? value) => DapperSetup.Format(value);

    private static object? Flag(bool? value) => value is null ? null : value.Value ? 1 : 0;

    private static readonly RowBatch<(SessionDraft Draft, string? RepoSlug, DateTimeOffset Now)> UpsertSessions = new(UpsertSessionSql,
        ("SessionId", DbType.String, s => s.Draft.SessionId), ("Agent", DbType.String, s => s.Draft.Agent),
        ("StartedTs", DbType.String, s => Timestamp(s.Draft.StartedTs)), ("EndedTs", DbType.String, s => Timestamp(s.Draft.EndedTs)),
        ("Cwd", DbType.String, s => s.Draft.Cwd), ("GitBranch", DbType.String, s => s.Draft.GitBranch),
        ("RepoSlug", DbType.String, s => s.RepoSlug is null ? null : RepoSlug.Normalize(s.RepoSlug)), ("Title", DbType.String, s => s.Draft.Title),
        ("ParentSessionId", DbType.String, s => s.Draft.ParentSessionId), ("RemoteId", DbType.String, s => s.Draft.RemoteId),
        ("Now", DbType.String, s => DapperSetup.Format(s.Now)));

    private static readonly RowBatch<(string SessionId, SessionTotals Sum)> UpdateTotals = new(UpdateTotalsSql,
        ("SessionId", DbType.String, t => t.SessionId), ("Model", DbType.String, t => t.Sum.Model),
        ("InputTokens", DbType.Int64, t => t.Sum.InputTokens), ("OutputTokens", DbType.Int64, t => t.Sum.OutputTokens),
        ("CacheWriteTokens", DbType.Int64, t => t.Sum.CacheWriteTokens), ("CacheReadTokens", DbType.Int64, t => t.Sum.CacheReadTokens),
        ("CostUsd", DbType.Double, t => t.Sum.CostUsd is null ? null : (double)t.Sum.CostUsd.Value));

    private static readonly RowBatch<(SessionFileState File, DateTimeOffset Now)> UpsertFiles = new(UpsertFileSql,
        ("Path", DbType.String, f => f.File.Path), ("Size", DbType.Int64, f => f.File.Size), ("ByteOffset", DbType.Int64, f => f.File.ByteOffset),
        ("LineCount", DbType.Int64, f => f.File.LineCount), ("HeadHash", DbType.String, f => f.File.HeadHash), ("Agent", DbType.String, f => f.File.Agent),
        ("SessionId", DbType.String, f => f.File.SessionId), ("Now", DbType.String, f => DapperSetup.Format(f.Now)));

    private const string UpsertMessageSql = """
        INSERT INTO session_messages (session_id, message_id, model, ts, input_tokens, output_tokens, cache_write_tokens, cache_read_tokens)
        VALUES (@SessionId, @MessageId, @Model, @Ts, @InputTokens, @OutputTokens, @CacheWriteTokens, @CacheReadTokens)
        ON CONFLICT (session_id, message_id) DO UPDATE SET
            model = COALESCE(excluded.model, session_messages.model),
            ts = COALESCE(session_messages.ts, excluded.ts),
            input_tokens = CASE WHEN excluded.input_tokens > session_messages.input_tokens THEN excluded.input_tokens ELSE session_messages.input_tokens END,
            output_tokens = CASE WHEN excluded.output_tokens > session_messages.output_tokens THEN excluded.output_tokens ELSE session_messages.output_tokens END,
            cache_write_tokens = CASE WHEN excluded.cache_write_tokens > session_messages.cache_write_tokens THEN excluded.cache_write_tokens ELSE session_messages.cache_write_tokens END,
            cache_read_tokens = CASE WHEN excluded.cache_read_tokens > session_messages.cache_read_tokens THEN excluded.cache_read_tokens ELSE session_messages.cache_read_tokens END
        """;

    /// <summary>Upserts messages (unique per id within the collection).</summary>
    private static readonly RowBatch<SessionMessage> UpsertMessages = new(UpsertMessageSql,
        ("SessionId", DbType.String, m => m.SessionId), ("MessageId", DbType.String, m => m.MessageId), ("Model", DbType.String, m => m.Model),
        ("Ts", DbType.String, m => Timestamp(m.Ts)), ("InputTokens", DbType.Int64, m => m.InputTokens), ("OutputTokens", DbType.Int64, m => m.OutputTokens),
        ("CacheWriteTokens", DbType.Int64, m => m.CacheWriteTokens), ("CacheReadTokens", DbType.Int64, m => m.CacheReadTokens));

    private const string InsertEventSql = """
        INSERT INTO session_events (session_id, record_key, kind, ts, command, output_excerpt, is_error, path, abs_path, added_text,
            sha, branch, subject, url, pr_number, tool_name)
        VALUES (@SessionId, @RecordKey, @Kind, @Ts, @Command, @OutputExcerpt, @IsError, @Path, @AbsPath, @AddedText,
            @Sha, @Branch, @Subject, @Url, @PrNumber, @ToolName)
        ON CONFLICT (session_id, record_key, kind) DO NOTHING
        """;

    private static readonly RowBatch<SessionEventRecord> InsertEvents = new(InsertEventSql,
        ("SessionId", DbType.String, e => e.SessionId), ("RecordKey", DbType.String, e => e.RecordKey), ("Kind", DbType.String, e => e.Kind),
        ("Ts", DbType.String, e => DapperSetup.Format(e.Ts)), ("Command", DbType.String, e => e.Command), ("OutputExcerpt", DbType.String, e => e.OutputExcerpt),
        ("IsError", DbType.Int32, e => Flag(e.IsError)), ("Path", DbType.String, e => e.Path), ("AbsPath", DbType.String, e => e.AbsPath),
        ("AddedText", DbType.String, e => e.AddedText), ("Sha", DbType.String, e => e.Sha?.ToLowerInvariant()), ("Branch", DbType.String, e => e.Branch),
        ("Subject", DbType.String, e => e.Subject), ("Url", DbType.String, e => e.Url), ("PrNumber", DbType.Int32, e => e.PrNumber),
        ("ToolName", DbType.String, e => e.ToolName));

    private static readonly RowBatch<SessionEventRecord> CompleteEvents = new(CompleteEventSql,
        ("SessionId", DbType.String, e => e.SessionId), ("RecordKey", DbType.String, e => e.RecordKey), ("Kind", DbType.String, e => e.Kind),
        ("OutputExcerpt", DbType.String, e => e.OutputExcerpt), ("IsError", DbType.Int32, e => Flag(e.IsError)));

    /// <summary>Inserts events not stored yet; returns how many were new.</summary>
    private static async Task<int> InsertEventsAsync(UnitOfWork unit, IReadOnlyList<SessionEventRecord> events, CancellationToken cancellationToken)
    {
        // A key twice in one save keeps its first occurrence; rows go in kind by kind (the order, so the ids, they always had).
        var unique = events.DistinctBy(e => (e.SessionId, e.RecordKey, e.Kind)).GroupBy(e => e.Kind, StringComparer.Ordinal).SelectMany(g => g).ToList();
        var counts = await InsertEvents.RunAsync(unit, unique, cancellationToken);

        // Events stored before: give results seen only now to calls first stored without them.
        await CompleteEvents.RunAsync(unit, unique.Where((e, i) => counts[i] == 0 && (e.OutputExcerpt is not null || e.IsError is not null)), cancellationToken);
        return counts.Count(c => c > 0);
    }

    private const string GetFilesSql = """
        SELECT path, size, byte_offset, line_count, head_hash, agent, session_id FROM session_files WHERE path IN ({0})
        """;

    /// <summary>The stored positions of those of <paramref name="paths"/> read before (one connection, one query per 10 paths).</summary>
    public async Task<IReadOnlyDictionary<string, SessionFileState>> GetFilesAsync(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await QueryByKeysAsync<SessionFileState>(connection, null, GetFilesSql, paths, cancellationToken);
        return rows.ToDictionary(f => f.Path, StringComparer.Ordinal);
    }

    private const string KnownSessionsSql = "SELECT session_id, repo_slug, cwd FROM sessions WHERE session_id IN ({0})";

    /// <summary>Runs <paramref name="sqlFormat"/> (an <c>IN ({0})</c> list) for the distinct keys, <see cref="BatchRows"/> at a time.</summary>
    private static async Task<List<T>> QueryByKeysAsync<T>(
        DbConnection connection, DbTransaction? transaction, string sqlFormat, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        foreach (var chunk in keys.Distinct(StringComparer.Ordinal).Chunk(BatchRows))
        {
            // Parameters are listed one by one: Npgsql would take a list as one array parameter.
            var parameters = new DynamicParameters();
            for (var i = 0; i < chunk.Length; i++)
            {
                parameters.Add($"I{i}", chunk[i]);
            }

            var list = string.Join(", ", Enumerable.Range(0, chunk.Length).Select(i => $"@I{i}"));
            rows.AddRange(await connection.QueryAsync<T>(new CommandDefinition(
                string.Format(CultureInfo.InvariantCulture, sqlFormat, list), parameters, transaction, cancellationToken: cancellationToken)));
        }

        return rows;
    }

    /// <summary>One session by <c>@SessionId</c>: the one read of a session row (this store, the query surfaces, its page).</summary>
    internal const string GetSessionSql = $"SELECT {SessionColumns} FROM sessions WHERE session_id = @SessionId";

    /// <summary>One session, or null.</summary>
    public async Task<SessionRecord?> GetSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SessionRecord>(new CommandDefinition(GetSessionSql, new { SessionId = sessionId }, cancellationToken: cancellationToken));
    }

    private const string ListEventsSql = $"SELECT {EventColumns} FROM session_events WHERE session_id = @SessionId ORDER BY ts, id";

    /// <summary>A session's events in time order.</summary>
    public async Task<IReadOnlyList<SessionEventRecord>> ListEventsAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<SessionEventRecord>(new CommandDefinition(ListEventsSql, new { SessionId = sessionId }, cancellationToken: cancellationToken))).AsList();
    }

    private const string CommitShasSql = "SELECT DISTINCT sha FROM session_events WHERE session_id = @SessionId AND kind = 'commit' AND sha IS NOT NULL";

    /// <summary>The (short) shas of the commits a session printed.</summary>
    public async Task<IReadOnlyList<string>> ListCommitShasAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(CommitShasSql, new { SessionId = sessionId }, cancellationToken: cancellationToken))).AsList();
    }

    // The range lets the sha index answer; any full sha with this hex prefix sorts below prefix + "g".
    private const string ReposWithCommitSql = """
        SELECT DISTINCT c.repo_slug FROM commits c JOIN repositories r ON r.repo_slug = c.repo_slug
        WHERE c.sha >= @From AND c.sha < @To AND c.sha LIKE @Prefix
        """;

    /// <summary>Registered repositories holding a commit whose sha starts with one of <paramref name="shortShas"/>.</summary>
    public async Task<IReadOnlyList<string>> FindRepositoriesWithCommitsAsync(IEnumerable<string> shortShas, CancellationToken cancellationToken)
    {
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await connections.OpenAsync(cancellationToken);
        foreach (var sha in shortShas.Select(s => s.ToLowerInvariant()).Distinct(StringComparer.Ordinal))
        {
            if (sha.Length < 7 || !sha.All(Uri.IsHexDigit))
            {
                continue;
            }

            foreach (var slug in await connection.QueryAsync<string>(new CommandDefinition(ReposWithCommitSql, new { From = sha, To = sha + "g", Prefix = sha + "%" }, cancellationToken: cancellationToken)))
            {
                slugs.Add(slug);
            }
        }

        return [.. slugs];
    }

    private const string UnresolvedSql = """
        SELECT DISTINCT s.session_id FROM sessions s JOIN session_events e ON e.session_id = s.session_id
        WHERE s.repo_slug IS NULL AND e.kind = 'commit'
        ORDER BY s.session_id
        """;

    /// <summary>Sessions without a repository that made commits (their repository may be known later).</summary>
    public async Task<IReadOnlyList<string>> ListUnresolvedSessionIdsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(UnresolvedSql, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>How many sessions have no repository (their working folder is not a clone registered here).</summary>
    public async Task<long> CountWithoutRepositoryAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM sessions WHERE repo_slug IS NULL", cancellationToken: cancellationToken));
    }

    private const string SetRepoSql = "UPDATE sessions SET repo_slug = @RepoSlug, updated_ts = @Now WHERE session_id = @SessionId AND repo_slug IS NULL";

    public async Task<bool> SetRepositoryAsync(string sessionId, string repoSlug, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(SetRepoSql,
            new { SessionId = sessionId, RepoSlug = RepoSlug.Normalize(repoSlug), Now = time.GetUtcNow() }, cancellationToken: cancellationToken)) > 0;
    }
}
