using Attribution.Store;
using Attribution.Tests.Infrastructure;
using Dapper;

namespace Attribution.Tests.Decisions;

/// <summary>
/// Seeds the tables other features fill in production (PRs, commits, touches, links, repositories) through their
/// stores, as <see cref="GraphSeeder"/> does, with the shapes the decision tests speak in.
/// </summary>
public sealed class EvidenceSeeder(IDbConnectionFactory connections)
{
    private static readonly DateTimeOffset Stamp = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly GraphSeeder _graph = new(connections);

    public Task PrAsync(string repo, long number, string state, DateTimeOffset? mergedAt, string? mergeSha = null, DateTimeOffset? revertedAt = null) =>
        _graph.PrAsync(repo, checked((int)number), $"PR {number}", state, mergedAt ?? Stamp, mergedAt, mergeSha: mergeSha, revertedAt: revertedAt);

    public Task PrCommitAsync(string repo, long number, string sha) => _graph.PrCommitAsync(repo, checked((int)number), sha);

    public Task CommitAsync(string repo, string sha, string subject, DateTimeOffset at, string[] files, string? revertsSha = null) =>
        _graph.CommitAsync(repo, sha, subject, at, revertsSha: revertsSha, files: files);

    public Task TouchAsync(string repo, string targetKind, string targetKey, string touchSha, string classification, DateTimeOffset at) =>
        _graph.TouchAsync(repo, targetKind, targetKey, touchSha, classification, at, filesJson: "[]");

    public Task SessionLinkAsync(string repo, string sha, string sessionId, double confidence, string linkType) =>
        _graph.LinkAsync(repo, sha, sessionId, linkType, confidence, "{}");

    /// <summary>A repository registered as <c>ingest git</c> registers it.</summary>
    public Task RepositoryAsync(string repo, string clonePath, string? defaultBranch = null) =>
        new RepositoryStore(connections, TimeProvider.System).RegisterAsync(repo, "github", clonePath, defaultBranch, CancellationToken.None);

    public async Task<long> CountAsync(string table)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
    }
}
