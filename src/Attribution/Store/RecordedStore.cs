using Attribution.Common;
using Dapper;

namespace Attribution.Store;

/// <summary>One session a source tool recorded: behind an Entire checkpoint, or named by a commit's git-ai note.</summary>
public sealed record RecordedSession(string Source, string RecordKey, string SessionId, string FilesJson, string EvidenceJson);

/// <summary>The lines a commit adds and how many an AI wrote, as a source tool attests.</summary>
public sealed record CommitAiLines(string Sha, string Source, int AiLines, int AddedLines);

/// <summary>
/// What source tools recorded (<c>recorded_sessions</c>, <c>commit_ai_lines</c>, migration 0012). Rows are
/// replaced per record (a checkpoint, a commit's note): reading a record again makes its rows exactly what it says now.
/// </summary>
public sealed class RecordedStore(IDbConnectionFactory connections, TimeProvider time)
{
    public const string Entire = "entire";
    public const string GitAi = "git-ai";

    private const string DeleteRecordSql = "DELETE FROM recorded_sessions WHERE repo_slug = @Repo AND source = @Source AND record_key = @Key";

    private const string InsertSql = """
        INSERT INTO recorded_sessions (repo_slug, source, record_key, session_id, files_json, evidence_json, updated_ts)
        VALUES (@Repo, @Source, @RecordKey, @SessionId, @FilesJson, @EvidenceJson, @Now)
        ON CONFLICT (repo_slug, source, record_key, session_id) DO UPDATE SET
            files_json = excluded.files_json, evidence_json = excluded.evidence_json, updated_ts = excluded.updated_ts
        """;

    private const string UpsertLinesSql = """
        INSERT INTO commit_ai_lines (repo_slug, sha, source, ai_lines, added_lines, updated_ts)
        VALUES (@Repo, @Sha, @Source, @AiLines, @AddedLines, @Now)
        ON CONFLICT (repo_slug, sha) DO UPDATE SET
            source = excluded.source, ai_lines = excluded.ai_lines, added_lines = excluded.added_lines, updated_ts = excluded.updated_ts
        """;

    /// <summary>Makes the rows of each record in <paramref name="records"/> exactly its sessions (one transaction).</summary>
    public async Task ReplaceAsync(string repoSlug, IReadOnlyCollection<(string Source, string RecordKey)> records, IReadOnlyList<RecordedSession> sessions, IReadOnlyList<CommitAiLines> lines, CancellationToken cancellationToken)
    {
        if (records.Count == 0 && sessions.Count == 0 && lines.Count == 0)
        {
            return;
        }

        var repo = RepoSlug.Normalize(repoSlug);
        var now = time.GetUtcNow();
        await using var unit = await connections.BeginAsync(cancellationToken);
        foreach (var (source, key) in records)
        {
            await unit.Connection.ExecuteAsync(new CommandDefinition(DeleteRecordSql, new { Repo = repo, Source = source, Key = key }, unit.Transaction, cancellationToken: cancellationToken));
        }

        foreach (var s in sessions)
        {
            await unit.Connection.ExecuteAsync(new CommandDefinition(InsertSql, new { Repo = repo, s.Source, s.RecordKey, s.SessionId, s.FilesJson, s.EvidenceJson, Now = now }, unit.Transaction, cancellationToken: cancellationToken));
        }

        foreach (var l in lines)
        {
            await unit.Connection.ExecuteAsync(new CommandDefinition(UpsertLinesSql, new { Repo = repo, Sha = l.Sha.ToLowerInvariant(), l.Source, l.AiLines, l.AddedLines, Now = now }, unit.Transaction, cancellationToken: cancellationToken));
        }

        await unit.CommitAsync(cancellationToken);
    }

    private const string SessionsSql = """
        SELECT source AS Source, record_key AS RecordKey, session_id AS SessionId, files_json AS FilesJson, evidence_json AS EvidenceJson
        FROM recorded_sessions WHERE repo_slug = @Repo ORDER BY source, record_key, session_id
        """;

    public async Task<IReadOnlyList<RecordedSession>> SessionsAsync(string repoSlug, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<RecordedRow>(new CommandDefinition(SessionsSql, new { Repo = RepoSlug.Normalize(repoSlug) }, cancellationToken: cancellationToken)))
            .Select(r => new RecordedSession(r.Source, r.RecordKey, r.SessionId, r.FilesJson, r.EvidenceJson)).ToList();
    }

    private const string CommitsMentioningSql = """
        SELECT sha AS Sha, trailers_json AS TrailersJson, message AS Message FROM commits
        WHERE repo_slug = @Repo AND message LIKE @Like
        """;

    /// <summary>Commits of the repository whose message mentions <paramref name="text"/> (the caller reads it exactly).</summary>
    public async Task<IReadOnlyList<(string Sha, string TrailersJson, string? Message)>> CommitsMentioningAsync(string repoSlug, string text, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<(string, string, string?)>(new CommandDefinition(CommitsMentioningSql, new { Repo = RepoSlug.Normalize(repoSlug), Like = "%" + text + "%" }, cancellationToken: cancellationToken))).AsList();
    }

    private const string CommitFilesSql = "SELECT path FROM commit_files WHERE repo_slug = @Repo AND sha = @Sha";

    public async Task<IReadOnlyList<string>> CommitFilesAsync(string repoSlug, string sha, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(CommitFilesSql, new { Repo = RepoSlug.Normalize(repoSlug), Sha = sha }, cancellationToken: cancellationToken))).AsList();
    }

    private const string FilesKnownSql = "SELECT files_known FROM commits WHERE repo_slug = @Repo AND sha = @Sha";

    /// <summary>Null when the commit is not stored; else whether its file list is complete (false: the clone lacked objects).</summary>
    public async Task<bool?> CommitFilesKnownAsync(string repoSlug, string sha, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var known = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(FilesKnownSql, new { Repo = RepoSlug.Normalize(repoSlug), Sha = sha }, cancellationToken: cancellationToken));
        return known is null ? null : known.Value != 0;
    }

    private const string LinesSql = "SELECT sha AS Sha, source AS Source, ai_lines AS AiLines, added_lines AS AddedLines FROM commit_ai_lines WHERE repo_slug = @Repo AND sha = @Sha";

    /// <summary>The AI-written share of one commit's added lines, when a source tool attested it.</summary>
    public async Task<CommitAiLines?> AiLinesAsync(string repoSlug, string sha, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<LinesRow>(new CommandDefinition(LinesSql, new { Repo = RepoSlug.Normalize(repoSlug), Sha = sha.ToLowerInvariant() }, cancellationToken: cancellationToken));
        return row is null ? null : new CommitAiLines(row.Sha, row.Source, (int)row.AiLines, (int)row.AddedLines);
    }

    private sealed class RecordedRow
    {
        public string Source { get; set; } = "";
        public string RecordKey { get; set; } = "";
        public string SessionId { get; set; } = "";
        public string FilesJson { get; set; } = "";
        public string EvidenceJson { get; set; } = "";
    }

    private sealed class LinesRow
    {
        public string Sha { get; set; } = "";
        public string Source { get; set; } = "";
        public long AiLines { get; set; }
        public long AddedLines { get; set; }
    }
}
