using System.Data;
using System.Data.Common;
using System.Globalization;
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
        cache_write_tokens, cache_read_tokens, cost_usd, title, updated_ts
        """;

    private const string EventColumns = """
        id, session_id, record_key, kind, ts, command, output_excerpt, is_error, path, abs_path, added_text, sha, branch,
        subject, url, pr_number, tool_name
        """;

    // Ids per lookup statement. Small on purpose: SQLite looks each named parameter up by a linear scan,
    // so binding cost grows with the square of the parameter count.
    private const int BatchRows = 10;

    private const string UpsertSessionSql = """
        INSERT INTO sessions (session_id, agent, started_ts, ended_ts, cwd, git_branch, repo_slug, title, updated_ts)
        VALUES (@SessionId, @Agent, @StartedTs, @EndedTs, @Cwd, @GitBranch, @RepoSlug, @Title, @Now)
        ON CONFLICT (session_id) DO UPDATE SET
            started_ts = CASE WHEN sessions.started_ts IS NULL OR (excluded.started_ts IS NOT NULL AND excluded.started_ts < sessions.started_ts)
                              THEN excluded.started_ts ELSE sessions.started_ts END,
            ended_ts = CASE WHEN sessions.ended_ts IS NULL OR (excluded.ended_ts IS NOT NULL AND excluded.ended_ts > sessions.ended_ts)
                            THEN excluded.ended_ts ELSE sessions.ended_ts END,
            cwd = COALESCE(sessions.cwd, excluded.cwd),
            git_branch = COALESCE(excluded.git_branch, sessions.git_branch),
            repo_slug = COALESCE(excluded.repo_slug, sessions.repo_slug),
            title = COALESCE(sessions.title, excluded.title),
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
        await UpsertMessagesAsync(unit, MergedMessages(drafts), cancellationToken);
        var newEvents = await InsertEventsAsync(unit, [.. sessions.SelectMany(s => s.Draft.Events)], cancellationToken);
        await UpdateTotalsAsync(unit, drafts, existing, totals, cancellationToken);
        await UpsertFilesAsync(unit, files, now, cancellationToken);

        await unit.CommitAsync(cancellationToken);
        return new SessionSaveResult(created, updated, newEvents);
    }

    /// <summary>Upserts one row per draft; a session id seen before (stored, or earlier in this group) counts as updated.</summary>
    private static async Task<(int Created, int Updated)> UpsertSessionsAsync(
        UnitOfWork unit, IReadOnlyList<(SessionDraft Draft, string? RepoSlug)> sessions, Dictionary<string, (string? RepoSlug, string? Cwd)> existing, DateTimeOffset now, CancellationToken cancellationToken)
    {
        int created = 0, updated = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await using var upsert = new RowStatement(unit, UpsertSessionSql, SessionParameters);
        var row = new object?[SessionParameters.Length];
        foreach (var (draft, repoSlug) in sessions)
        {
            if (existing.ContainsKey(draft.SessionId) || !seen.Add(draft.SessionId))
            {
                updated++;
            }
            else
            {
                created++;
            }

            row[0] = draft.SessionId;
            row[1] = draft.Agent;
            row[2] = Timestamp(draft.StartedTs);
            row[3] = Timestamp(draft.EndedTs);
            row[4] = draft.Cwd;
            row[5] = draft.GitBranch;
            row[6] = repoSlug is null ? null : RepoSlug.Normalize(repoSlug);
            row[7] = draft.Title;
            row[8] = DapperSetup.Format(now);
            await upsert.AddAsync(row, cancellationToken);
        }

        await upsert.FlushAsync(cancellationToken);
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
        await using var update = new RowStatement(unit, UpdateTotalsSql, TotalsParameters);
        var row = new object?[TotalsParameters.Length];
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
            var sum = totals(usage);
            row[0] = group.Key;
            row[1] = sum.Model;
            row[2] = sum.InputTokens;
            row[3] = sum.OutputTokens;
            row[4] = sum.CacheWriteTokens;
            row[5] = sum.CacheReadTokens;
            row[6] = sum.CostUsd is null ? null : (double)sum.CostUsd.Value;
            await update.AddAsync(row, cancellationToken);
        }

        await update.FlushAsync(cancellationToken);
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

    private static async Task UpsertFilesAsync(UnitOfWork unit, IReadOnlyList<SessionFileState> files, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var upsertFile = new RowStatement(unit, UpsertFileSql, FileParameters);
        var row = new object?[FileParameters.Length];
        foreach (var file in files)
        {
            row[0] = file.Path;
            row[1] = file.Size;
            row[2] = file.ByteOffset;
            row[3] = file.LineCount;
            row[4] = file.HeadHash;
            row[5] = file.Agent;
            row[6] = file.SessionId;
            row[7] = DapperSetup.Format(now);
            await upsertFile.AddAsync(row, cancellationToken);
        }

        await upsertFile.FlushAsync(cancellationToken);
    }

    private static string? Timestamp(DateTimeOffset? value) => DapperSetup.Format(value);

    private static readonly (string, DbType)[] SessionParameters =
    [
        ("SessionId", DbType.String), ("Agent", DbType.String), ("StartedTs", DbType.String), ("EndedTs", DbType.String),
        ("Cwd", DbType.String), ("GitBranch", DbType.String), ("RepoSlug", DbType.String), ("Title", DbType.String), ("Now", DbType.String),
    ];

    private static readonly (string, DbType)[] TotalsParameters =
    [
        ("SessionId", DbType.String), ("Model", DbType.String), ("InputTokens", DbType.Int64), ("OutputTokens", DbType.Int64),
        ("CacheWriteTokens", DbType.Int64), ("CacheReadTokens", DbType.Int64), ("CostUsd", DbType.Double),
    ];

    private static readonly (string, DbType)[] FileParameters =
    [
        ("Path", DbType.String), ("Size", DbType.Int64), ("ByteOffset", DbType.Int64), ("LineCount", DbType.Int64),
        ("HeadHash", DbType.String), ("Agent", DbType.String), ("SessionId", DbType.String), ("Now", DbType.String),
    ];

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

    private static readonly (string, DbType)[] MessageParameters =
    [
        ("SessionId", DbType.String), ("MessageId", DbType.String), ("Model", DbType.String), ("Ts", DbType.String),
        ("InputTokens", DbType.Int64), ("OutputTokens", DbType.Int64), ("CacheWriteTokens", DbType.Int64), ("CacheReadTokens", DbType.Int64),
    ];

    /// <summary>Upserts messages (unique per id within the collection), one reused statement for all rows.</summary>
    private static async Task UpsertMessagesAsync(UnitOfWork unit, IEnumerable<SessionMessage> messages, CancellationToken cancellationToken)
    {
        await using var upsert = new RowStatement(unit, UpsertMessageSql, MessageParameters);
        var row = new object?[MessageParameters.Length];
        foreach (var m in messages)
        {
            row[0] = m.SessionId;
            row[1] = m.MessageId;
            row[2] = m.Model;
            row[3] = Timestamp(m.Ts);
            row[4] = m.InputTokens;
            row[5] = m.OutputTokens;
            row[6] = m.CacheWriteTokens;
            row[7] = m.CacheReadTokens;
            await upsert.AddAsync(row, cancellationToken);
        }

        await upsert.FlushAsync(cancellationToken);
    }

    private const string InsertEventSql = """
        INSERT INTO session_events (session_id, record_key, kind, ts, command, output_excerpt, is_error, path, abs_path, added_text,
            sha, branch, subject, url, pr_number, tool_name)
        VALUES (@SessionId, @RecordKey, @Kind, @Ts, @Command, @OutputExcerpt, @IsError, @Path, @AbsPath, @AddedText,
            @Sha, @Branch, @Subject, @Url, @PrNumber, @ToolName)
        ON CONFLICT (session_id, record_key, kind) DO NOTHING
        """;

    private static readonly (string, DbType)[] EventParameters =
    [
        ("SessionId", DbType.String), ("RecordKey", DbType.String), ("Kind", DbType.String), ("Ts", DbType.String),
        ("Command", DbType.String), ("OutputExcerpt", DbType.String), ("IsError", DbType.Int32), ("Path", DbType.String),
        ("AbsPath", DbType.String), ("AddedText", DbType.String), ("Sha", DbType.String), ("Branch", DbType.String),
        ("Subject", DbType.String), ("Url", DbType.String), ("PrNumber", DbType.Int32), ("ToolName", DbType.String),
    ];

    private static readonly (string, DbType)[] CompleteParameters =
    [
        ("SessionId", DbType.String), ("RecordKey", DbType.String), ("Kind", DbType.String), ("OutputExcerpt", DbType.String), ("IsError", DbType.Int32),
    ];

    /// <summary>Inserts events not stored yet, one reused statement for all rows; returns how many were new.</summary>
    private static async Task<int> InsertEventsAsync(UnitOfWork unit, IReadOnlyList<SessionEventRecord> events, CancellationToken cancellationToken)
    {
        // A key twice in one save keeps its first occurrence; rows go in kind by kind (the order, so the ids, they always had).
        var unique = events.DistinctBy(e => (e.SessionId, e.RecordKey, e.Kind)).GroupBy(e => e.Kind, StringComparer.Ordinal).SelectMany(g => g).ToList();
        await using var insert = new RowStatement(unit, InsertEventSql, EventParameters);
        var row = new object?[EventParameters.Length];
        foreach (var e in unique)
        {
            row[0] = e.SessionId;
            row[1] = e.RecordKey;
            row[2] = e.Kind;
            row[3] = DapperSetup.Format(e.Ts);
            row[4] = e.Command;
            row[5] = e.OutputExcerpt;
            row[6] = e.IsError is null ? null : e.IsError.Value ? 1 : 0;
            row[7] = e.Path;
            row[8] = e.AbsPath;
            row[9] = e.AddedText;
            row[10] = e.Sha?.ToLowerInvariant();
            row[11] = e.Branch;
            row[12] = e.Subject;
            row[13] = e.Url;
            row[14] = e.PrNumber;
            row[15] = e.ToolName;
            await insert.AddAsync(row, cancellationToken);
        }

        await insert.FlushAsync(cancellationToken);

        // Events stored before: give results seen only now to calls first stored without them.
        await using var complete = new RowStatement(unit, CompleteEventSql, CompleteParameters);
        var inserted = 0;
        var completeRow = new object?[CompleteParameters.Length];
        for (var i = 0; i < unique.Count; i++)
        {
            var e = unique[i];
            if (insert.Counts[i] > 0)
            {
                inserted++;
            }
            else if (e.OutputExcerpt is not null || e.IsError is not null)
            {
                completeRow[0] = e.SessionId;
                completeRow[1] = e.RecordKey;
                completeRow[2] = e.Kind;
                completeRow[3] = e.OutputExcerpt;
                completeRow[4] = e.IsError is null ? null : e.IsError.Value ? 1 : 0;
                await complete.AddAsync(completeRow, cancellationToken);
            }
        }

        await complete.FlushAsync(cancellationToken);
        return inserted;
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

    private const string GetSessionSql = $"SELECT {SessionColumns} FROM sessions WHERE session_id = @SessionId";

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

    private const string EventsInWindowSql = """
        SELECT e.id, e.session_id, e.record_key, e.kind, e.ts, e.command, e.output_excerpt, e.is_error, e.path, e.abs_path, e.added_text,
               e.sha, e.branch, e.subject, e.url, e.pr_number, e.tool_name
        FROM session_events e JOIN sessions s ON s.session_id = e.session_id
        WHERE s.repo_slug = @RepoSlug AND e.ts >= @From AND e.ts <= @To
        ORDER BY e.ts, e.id
        """;

    /// <summary>Events of the repository's sessions between two times (inclusive), for the linking engine.</summary>
    public async Task<IReadOnlyList<SessionEventRecord>> ListEventsInWindowAsync(string repoSlug, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<SessionEventRecord>(new CommandDefinition(EventsInWindowSql,
            new { RepoSlug = RepoSlug.Normalize(repoSlug), From = from, To = to }, cancellationToken: cancellationToken))).AsList();
    }

    private const string EditsByPathSql = """
        SELECT e.id, e.session_id, e.record_key, e.kind, e.ts, e.command, e.output_excerpt, e.is_error, e.path, e.abs_path, e.added_text,
               e.sha, e.branch, e.subject, e.url, e.pr_number, e.tool_name
        FROM session_events e JOIN sessions s ON s.session_id = e.session_id
        WHERE e.path = @Path AND e.kind = 'edit' AND s.repo_slug = @RepoSlug
        ORDER BY e.ts, e.id
        """;

    /// <summary>Edits of one repository path by the repository's sessions.</summary>
    public async Task<IReadOnlyList<SessionEventRecord>> ListEditsByPathAsync(string repoSlug, string path, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<SessionEventRecord>(new CommandDefinition(EditsByPathSql,
            new { RepoSlug = RepoSlug.Normalize(repoSlug), Path = path }, cancellationToken: cancellationToken))).AsList();
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
