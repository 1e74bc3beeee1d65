using System.Data;
using System.Data.Common;
using System.Text.Json;
using Attribution.Common;

namespace Attribution.Store;

/// <summary>
/// Writes complete (git) commit rows — the commit, its file list replaced, its refs — with the SQL of
/// <see cref="CommitStore"/>, for one batch inside the caller's unit of work. SQLite: each statement is prepared
/// once and re-bound per row (Dapper would re-parse and re-reflect every row). PostgreSQL: the rows are queued and
/// sent as one <see cref="DbBatch"/> (one round trip instead of one per statement).
/// </summary>
internal sealed class CommitRowWriter(UnitOfWork unit, DateTimeOffset now) : IAsyncDisposable
{
    // PostgreSQL: statements per round trip.
    private const int BatchStatements = 2000;

    private readonly string _now = DapperSetup.Format(now);
    private DbCommand? _upsert;
    private DbCommand? _deleteFiles;
    private DbCommand? _insertFile;
    private DbCommand? _insertRef;
    private DbBatch? _batch;

    public async Task AddAsync(CommitRecord commit, CancellationToken cancellationToken)
    {
        var slug = RepoSlug.Normalize(commit.RepoSlug);
        var sha = commit.Sha.ToLowerInvariant();
        object?[] row =
        [
            slug, sha, JsonSerializer.Serialize(commit.Parents), commit.AuthorName, commit.AuthorEmail, Timestamp(commit.AuthorTs),
            commit.CommitterName, commit.CommitterEmail, Timestamp(commit.CommitterTs), commit.Message, commit.Subject,
            JsonSerializer.Serialize(commit.Trailers.Select(t => new[] { t.Key, t.Value })), commit.RevertsSha?.ToLowerInvariant(),
            commit.Agent, commit.AgentModel, commit.Source, commit.FilesComplete ? 1 : 0, _now,
        ];
        await RunAsync(CommitStore.UpsertCompleteSql, UpsertNames, row, cancellationToken);
        if (commit.FilesComplete)
        {
            await RunAsync(CommitStore.DeleteFilesSql, KeyNames, [slug, sha], cancellationToken);
            foreach (var file in commit.Files)
            {
                await RunAsync(CommitStore.InsertFileSql, FileNames, [slug, sha, file.Path, file.Status, file.OldPath, file.AddedLines, file.DeletedLines], cancellationToken);
            }
        }

        foreach (var branch in commit.Refs.Distinct(StringComparer.Ordinal))
        {
            await RunAsync(CommitStore.InsertRefSql, RefNames, [slug, sha, branch, commit.Source, _now], cancellationToken);
        }
    }

    /// <summary>Sends what is queued (PostgreSQL); a no-op for SQLite, which writes as rows are added.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_batch is { BatchCommands.Count: > 0 })
        {
            await _batch.ExecuteNonQueryAsync(cancellationToken);
            _batch.BatchCommands.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in new[] { _upsert, _deleteFiles, _insertFile, _insertRef })
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }
        }

        if (_batch is not null)
        {
            await _batch.DisposeAsync();
        }
    }

    // Names carry their prefix: Microsoft.Data.Sqlite looks a bare name up under every prefix on each execution.
    private static readonly string[] UpsertNames =
    [
        "@RepoSlug", "@Sha", "@Parents", "@AuthorName", "@AuthorEmail", "@AuthorTs", "@CommitterName", "@CommitterEmail", "@CommitterTs",
        "@Message", "@Subject", "@Trailers", "@RevertsSha", "@Agent", "@AgentModel", "@Source", "@FilesKnown", "@Now",
    ];

    private static readonly string[] KeyNames = ["@RepoSlug", "@Sha"];

    private static readonly string[] FileNames = ["@RepoSlug", "@Sha", "@Path", "@Status", "@OldPath", "@AddedLines", "@DeletedLines"];

    private static readonly string[] RefNames = ["@RepoSlug", "@Sha", "@Ref", "@Source", "@Now"];

    private async Task RunAsync(string sql, string[] names, object?[] values, CancellationToken cancellationToken)
    {
        if (unit.Dialect == SqlDialect.Postgres)
        {
            _batch ??= unit.Connection.CreateBatch();
            _batch.Transaction = unit.Transaction;
            var queued = _batch.CreateBatchCommand();
            queued.CommandText = sql;
            for (var i = 0; i < names.Length; i++)
            {
                var parameter = queued.CreateParameter();
                Bind(parameter, names[i], values[i]);
                queued.Parameters.Add(parameter);
            }

            _batch.BatchCommands.Add(queued);
            if (_batch.BatchCommands.Count >= BatchStatements)
            {
                await FlushAsync(cancellationToken);
            }

            return;
        }

        var command = Prepared(sql, names);
        for (var i = 0; i < names.Length; i++)
        {
            Bind(command.Parameters[i], names[i], values[i]);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private DbCommand Prepared(string sql, string[] names)
    {
        ref var slot = ref _upsert;
        if (ReferenceEquals(names, KeyNames))
        {
            slot = ref _deleteFiles;
        }
        else if (ReferenceEquals(names, FileNames))
        {
            slot = ref _insertFile;
        }
        else if (ReferenceEquals(names, RefNames))
        {
            slot = ref _insertRef;
        }

        if (slot is null)
        {
            var command = unit.Connection.CreateCommand();
            command.Transaction = unit.Transaction;
            command.CommandText = sql;
            foreach (var name in names)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                command.Parameters.Add(parameter);
            }

            command.Prepare();
            slot = command;
        }

        return slot;
    }

    // Same typing as the Dapper path: text (timestamps already formatted) or 32-bit integers; a null keeps its
    // column's type (PostgreSQL refuses a text-typed null in an INTEGER column).
    private static void Bind(DbParameter parameter, string name, object? value)
    {
        parameter.ParameterName = name;
        parameter.DbType = value is int || name is "@FilesKnown" or "@AddedLines" or "@DeletedLines" ? DbType.Int32 : DbType.String;
        parameter.Value = value ?? DBNull.Value;
    }

    private static string? Timestamp(DateTimeOffset? value) => value is null ? null : DapperSetup.Format(value.Value);
}
