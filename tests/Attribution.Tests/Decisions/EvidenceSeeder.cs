using Attribution.Store;
using Dapper;

namespace Attribution.Tests.Decisions;

/// <summary>Raw-SQL seeding of the tables other features fill in production (PRs, commits, touches, links).</summary>
public sealed class EvidenceSeeder(IDbConnectionFactory connections)
{
    private static readonly DateTimeOffset Stamp = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public Task PrAsync(string repo, long number, string state, DateTimeOffset? mergedAt, string? mergeSha = null, DateTimeOffset? revertedAt = null) =>
        ExecAsync("""
            INSERT INTO pr_outcomes (provider, repo_slug, pr_number, title, state, merged_at, reverted_at, merge_commit_sha, updated_ts)
            VALUES ('github', @Repo, @Number, @Title, @State, @MergedAt, @RevertedAt, @MergeSha, @Stamp)
            """, new { Repo = repo, Number = number, Title = $"PR {number}", State = state, MergedAt = mergedAt, RevertedAt = revertedAt, MergeSha = mergeSha, Stamp });

    public Task PrCommitAsync(string repo, long number, string sha) =>
        ExecAsync("INSERT INTO pr_commits (provider, repo_slug, pr_number, sha, source) VALUES ('github', @Repo, @Number, @Sha, 'git')",
            new { Repo = repo, Number = number, Sha = sha });

    public async Task CommitAsync(string repo, string sha, string subject, DateTimeOffset at, string[] files, string? revertsSha = null)
    {
        await ExecAsync("""
            INSERT INTO commits (repo_slug, sha, committer_ts, author_ts, message, subject, reverts_sha, source, files_known, updated_ts)
            VALUES (@Repo, @Sha, @At, @At, @Subject, @Subject, @RevertsSha, 'git', 1, @Stamp)
            """, new { Repo = repo, Sha = sha, At = at, Subject = subject, RevertsSha = revertsSha, Stamp });
        foreach (var file in files)
        {
            await ExecAsync("INSERT INTO commit_files (repo_slug, sha, path, status) VALUES (@Repo, @Sha, @Path, 'modified')",
                new { Repo = repo, Sha = sha, Path = file });
        }
    }

    public Task TouchAsync(string repo, string targetKind, string targetKey, string touchSha, string classification, DateTimeOffset at) =>
        ExecAsync("""
            INSERT INTO downstream_touches (repo_slug, target_kind, target_key, touch_sha, classification, touched_ts, files_json)
            VALUES (@Repo, @Kind, @Key, @Sha, @Classification, @At, '[]')
            """, new { Repo = repo, Kind = targetKind, Key = targetKey, Sha = touchSha, Classification = classification, At = at });

    public Task SessionLinkAsync(string repo, string sha, string sessionId, double confidence, string linkType) =>
        ExecAsync("""
            INSERT INTO commit_session_link (commit_sha, repo_slug, session_id, link_type, confidence, evidence_json, established_ts)
            VALUES (@Sha, @Repo, @Session, @LinkType, @Confidence, '{}', @Stamp)
            """, new { Sha = sha, Repo = repo, Session = sessionId, LinkType = linkType, Confidence = confidence, Stamp });

    public Task RepositoryAsync(string repo, string clonePath, string? defaultBranch = null) =>
        ExecAsync("""
            INSERT INTO repositories (repo_slug, display_slug, provider, clone_path, default_branch, registered_ts)
            VALUES (@Repo, @Repo, 'github', @Path, @Branch, @Stamp)
            """, new { Repo = repo, Path = clonePath, Branch = defaultBranch, Stamp });

    public async Task<long> CountAsync(string table)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
    }

    private async Task ExecAsync(string sql, object args)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(new CommandDefinition(sql, args));
    }
}
