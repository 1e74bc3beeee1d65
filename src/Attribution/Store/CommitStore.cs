using System.Data;
using System.Text.Json;
using Attribution.Common;
using Dapper;

namespace Attribution.Store;

/// <summary>
/// Commits, their files and the branches they were seen on. Git history is the most complete source and
/// overwrites what pushes or REST recorded; pushes and REST only fill gaps and never downgrade a git row.
/// </summary>
public sealed class CommitStore(IDbConnectionFactory connections, TimeProvider time)
{
    // Both upserts write every column of a new commit; they differ in what they do to one already stored.
    private const string InsertCommitSql = """
        INSERT INTO commits (repo_slug, sha, parents, author_name, author_email, author_ts, committer_name, committer_email,
                             committer_ts, message, subject, trailers_json, reverts_sha, agent, agent_model, source, files_known, updated_ts)
        VALUES (@RepoSlug, @Sha, @Parents, @AuthorName, @AuthorEmail, @AuthorTs, @CommitterName, @CommitterEmail,
                @CommitterTs, @Message, @Subject, @Trailers, @RevertsSha, @Agent, @AgentModel, @Source, @FilesKnown, @Now)
        """;

    internal const string UpsertCompleteSql = InsertCommitSql + "\n" + """
        ON CONFLICT (repo_slug, sha) DO UPDATE SET
            parents = excluded.parents, author_name = excluded.author_name, author_email = excluded.author_email,
            author_ts = excluded.author_ts, committer_name = excluded.committer_name, committer_email = excluded.committer_email,
            committer_ts = excluded.committer_ts, message = excluded.message, subject = excluded.subject,
            trailers_json = excluded.trailers_json, reverts_sha = excluded.reverts_sha, agent = excluded.agent,
            agent_model = excluded.agent_model, source = excluded.source, files_known = excluded.files_known, updated_ts = excluded.updated_ts
        """;

    private const string UpsertPartialSql = InsertCommitSql + "\n" + """
        ON CONFLICT (repo_slug, sha) DO UPDATE SET
            author_name = COALESCE(commits.author_name, excluded.author_name),
            author_email = COALESCE(commits.author_email, excluded.author_email),
            author_ts = COALESCE(commits.author_ts, excluded.author_ts),
            committer_name = COALESCE(commits.committer_name, excluded.committer_name),
            committer_email = COALESCE(commits.committer_email, excluded.committer_email),
            committer_ts = COALESCE(commits.committer_ts, excluded.committer_ts),
            message = COALESCE(commits.message, excluded.message),
            subject = COALESCE(commits.subject, excluded.subject),
            reverts_sha = COALESCE(commits.reverts_sha, excluded.reverts_sha),
            agent = COALESCE(commits.agent, excluded.agent),
            agent_model = COALESCE(commits.agent_model, excluded.agent_model),
            updated_ts = excluded.updated_ts
        WHERE commits.source <> 'git'
        """;

    internal const string DeleteFilesSql = "DELETE FROM commit_files WHERE repo_slug = @RepoSlug AND sha = @Sha";

    internal const string InsertFileSql = """
        INSERT INTO commit_files (repo_slug, sha, path, status, old_path, added_lines, deleted_lines)
        VALUES (@RepoSlug, @Sha, @Path, @Status, @OldPath, @AddedLines, @DeletedLines)
        ON CONFLICT (repo_slug, sha, path) DO NOTHING
        """;

    private static readonly RowBatch<(string RepoSlug, string Sha, CommitFileRecord File)> InsertFiles = new(InsertFileSql,
        ("RepoSlug", DbType.String, f => f.RepoSlug), ("Sha", DbType.String, f => f.Sha), ("Path", DbType.String, f => f.File.Path),
        ("Status", DbType.String, f => f.File.Status), ("OldPath", DbType.String, f => f.File.OldPath),
        ("AddedLines", DbType.Int32, f => f.File.AddedLines), ("DeletedLines", DbType.Int32, f => f.File.DeletedLines));

    internal const string InsertRefSql = """
        INSERT INTO commit_refs (repo_slug, sha, ref, source, seen_ts) VALUES (@RepoSlug, @Sha, @Ref, @Source, @Now)
        ON CONFLICT (repo_slug, sha, ref) DO NOTHING
        """;

    private const string FilesKnownSql = "SELECT files_known FROM commits WHERE repo_slug = @RepoSlug AND sha = @Sha";

    /// <summary>Upserts a batch of commits in one transaction.</summary>
    public async Task UpsertAsync(IReadOnlyList<CommitRecord> commits, CancellationToken cancellationToken)
    {
        if (commits.Count == 0)
        {
            return;
        }

        await using var unit = await connections.BeginAsync(cancellationToken);
        await UpsertAsync(unit, commits, cancellationToken);
        await unit.CommitAsync(cancellationToken);
    }

    /// <summary>Upserts commits inside the caller's unit of work.</summary>
    public async Task UpsertAsync(UnitOfWork unit, IReadOnlyList<CommitRecord> commits, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var rows = new CommitRowWriter(unit, now);
        foreach (var commit in commits)
        {
            // Git's complete rows (the bulk of a history scan) go through commands prepared once per batch (SQLite)
            // or one round trip per batch (PostgreSQL); partial sources keep the per-row path with its files_known check.
            if (commit.Source == "git" && (commit.FilesComplete || commit.Files.Count == 0))
            {
                await rows.AddAsync(commit, cancellationToken);
                continue;
            }

            await rows.FlushAsync(cancellationToken);
            var slug = RepoSlug.Normalize(commit.RepoSlug);
            var sha = commit.Sha.ToLowerInvariant();
            var complete = commit.Source == "git";
            await unit.Connection.ExecuteAsync(new CommandDefinition(complete ? UpsertCompleteSql : UpsertPartialSql, new
            {
                RepoSlug = slug,
                Sha = sha,
                Parents = JsonSerializer.Serialize(commit.Parents),
                commit.AuthorName,
                commit.AuthorEmail,
                commit.AuthorTs,
                commit.CommitterName,
                commit.CommitterEmail,
                commit.CommitterTs,
                commit.Message,
                commit.Subject,
                Trailers = JsonSerializer.Serialize(commit.Trailers.Select(t => new[] { t.Key, t.Value })),
                RevertsSha = commit.RevertsSha?.ToLowerInvariant(),
                commit.Agent,
                commit.AgentModel,
                commit.Source,
                FilesKnown = commit.FilesComplete ? 1 : 0,
                Now = now,
            }, unit.Transaction, cancellationToken: cancellationToken));

            // Partial sources add files only while git has not given the complete list.
            var writeFiles = commit.FilesComplete
                || (commit.Files.Count > 0 && await unit.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    FilesKnownSql, new { RepoSlug = slug, Sha = sha }, unit.Transaction, cancellationToken: cancellationToken)) == 0);
            if (commit.FilesComplete)
            {
                await unit.Connection.ExecuteAsync(new CommandDefinition(DeleteFilesSql, new { RepoSlug = slug, Sha = sha }, unit.Transaction, cancellationToken: cancellationToken));
            }

            if (writeFiles)
            {
                await InsertFiles.RunAsync(unit, commit.Files.Select(file => (slug, sha, file)), cancellationToken);
            }

            foreach (var branch in commit.Refs.Distinct(StringComparer.Ordinal))
            {
                await unit.Connection.ExecuteAsync(new CommandDefinition(InsertRefSql, new { RepoSlug = slug, Sha = sha, Ref = branch, commit.Source, Now = now }, unit.Transaction, cancellationToken: cancellationToken));
            }
        }

        await rows.FlushAsync(cancellationToken);
    }

    private const string CountSql = "SELECT count(*) FROM commits WHERE repo_slug = @RepoSlug";

    public async Task<long> CountAsync(string repoSlug, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(CountSql, new { RepoSlug = RepoSlug.Normalize(repoSlug) }, cancellationToken: cancellationToken));
    }

    private const string AddedLinesSql =
        "SELECT CAST(sum(COALESCE(f.added_lines, 0)) AS INTEGER) FROM commits c LEFT JOIN commit_files f ON f.repo_slug = c.repo_slug AND f.sha = c.sha WHERE c.repo_slug = @Repo AND c.sha = @Sha GROUP BY c.sha";

    /// <summary>Lines a stored commit added over all its files, or null when the commit is not stored.</summary>
    public async Task<int?> AddedLinesAsync(string repoSlug, string sha, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(AddedLinesSql, new { Repo = repoSlug, Sha = sha }, cancellationToken: cancellationToken));
    }
}
