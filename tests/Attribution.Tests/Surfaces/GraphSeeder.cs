using System.Security.Cryptography;
using Attribution.Store;
using Dapper;

namespace Attribution.Tests.Surfaces;

/// <summary>
/// Seeds the attribution graph the way the engine, the session ingest and the webhooks would leave it:
/// commits through the shared CommitStore, everything else with raw SQL (test-only).
/// </summary>
public sealed class GraphSeeder(IDbConnectionFactory connections)
{
    public static string NewRepo() => "acme/r" + Convert.ToHexString(RandomNumberGenerator.GetBytes(5)).ToLowerInvariant();

    /// <summary>A random 40-hex sha, optionally starting with <paramref name="prefix"/>.</summary>
    public static string NewSha(string prefix = "") =>
        prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(20)).ToLowerInvariant()[prefix.Length..];

    public static string NewSessionId() => Guid.NewGuid().ToString();

    public async Task CommitAsync(string repo, string sha, string message, DateTimeOffset committedAt, string? agent = null, string? agentModel = null, string? revertsSha = null)
    {
        await new CommitStore(connections, TimeProvider.System).UpsertAsync([new CommitRecord
        {
            RepoSlug = repo,
            Sha = sha,
            Source = "git",
            Message = message,
            AuthorName = "Dev",
            AuthorEmail = "dev@example.com",
            AuthorTs = committedAt,
            CommitterName = "Dev",
            CommitterEmail = "dev@example.com",
            CommitterTs = committedAt,
            Agent = agent,
            AgentModel = agentModel,
            RevertsSha = revertsSha,
            FilesComplete = true,
            Files = [new CommitFileRecord("src/app.py", "modified", null, 3, 1)],
        }], CancellationToken.None);
    }

    public Task SessionAsync(string sessionId, string agent, string? model, string? repo, double? costUsd,
        DateTimeOffset startedAt, DateTimeOffset endedAt, string? branch = "feat/x", long input = 1200, long output = 340, long cacheWrite = 50, long cacheRead = 9000) =>
        ExecuteAsync("""
            INSERT INTO sessions (session_id, agent, model, started_ts, ended_ts, cwd, git_branch, repo_slug, input_tokens, output_tokens,
                                  cache_write_tokens, cache_read_tokens, cost_usd, updated_ts)
            VALUES (@SessionId, @Agent, @Model, @StartedAt, @EndedAt, '/work/app', @Branch, @Repo, @Input, @Output, @CacheWrite, @CacheRead, @CostUsd, @StartedAt)
            """, new { SessionId = sessionId, Agent = agent, Model = model, StartedAt = startedAt, EndedAt = endedAt, Branch = branch, Repo = repo, Input = input, Output = output, CacheWrite = cacheWrite, CacheRead = cacheRead, CostUsd = costUsd });

    public Task LinkAsync(string repo, string sha, string sessionId, string linkType, double confidence, string evidenceJson = """{"method":"commit-output"}""") =>
        ExecuteAsync("""
            INSERT INTO commit_session_link (commit_sha, repo_slug, session_id, link_type, confidence, evidence_json, established_ts)
            VALUES (@Sha, @Repo, @SessionId, @LinkType, @Confidence, @Evidence, @Now)
            """, new { Sha = sha, Repo = repo, SessionId = sessionId, LinkType = linkType, Confidence = confidence, Evidence = evidenceJson, Now = DateTimeOffset.UtcNow });

    public Task PrAsync(string repo, int number, string title, string state, DateTimeOffset createdAt, DateTimeOffset? mergedAt = null,
        string? headSha = null, string? mergeSha = null, int downstreamTouchCount = 0, DateTimeOffset? revertedAt = null, string provider = "github") =>
        ExecuteAsync("""
            INSERT INTO pr_outcomes (provider, repo_slug, pr_number, title, state, merged_at, reverted_at, author, url, head_ref, head_sha, base_ref,
                                     merge_commit_sha, created_at, linked_session_ids, downstream_touch_count, updated_ts)
            VALUES (@Provider, @Repo, @Number, @Title, @State, @MergedAt, @RevertedAt, 'dev', @Url, 'feat/x', @HeadSha, 'main',
                    @MergeSha, @CreatedAt, '["s-1"]', @Touches, @CreatedAt)
            """, new { Provider = provider, Repo = repo, Number = number, Title = title, State = state, MergedAt = mergedAt, RevertedAt = revertedAt, Url = $"https://github.com/{repo}/pull/{number}", HeadSha = headSha, MergeSha = mergeSha, CreatedAt = createdAt, Touches = downstreamTouchCount });

    public Task PrCommitAsync(string repo, int number, string sha, string provider = "github") =>
        ExecuteAsync("INSERT INTO pr_commits (provider, repo_slug, pr_number, sha, source) VALUES (@Provider, @Repo, @Number, @Sha, 'git')",
            new { Provider = provider, Repo = repo, Number = number, Sha = sha });

    public Task SessionPrLinkAsync(string sessionId, string repo, int number, string provider = "github") =>
        ExecuteAsync("""
            INSERT INTO session_pr_links (session_id, provider, repo_slug, pr_number, reason, confidence, evidence_json, established_ts)
            VALUES (@SessionId, @Provider, @Repo, @Number, 'commit', 1.0, '{}', @Now)
            """, new { SessionId = sessionId, Provider = provider, Repo = repo, Number = number, Now = DateTimeOffset.UtcNow });

    public Task CiRunAsync(string repo, string runId, string sha, string status, DateTimeOffset completedAt, string workflow = "build", string provider = "github-actions") =>
        ExecuteAsync("""
            INSERT INTO ci_runs (provider, repo_slug, run_id, commit_sha, status, workflow_name, branch, url, started_ts, completed_ts, updated_ts)
            VALUES (@Provider, @Repo, @RunId, @Sha, @Status, @Workflow, 'main', NULL, @Started, @CompletedAt, @CompletedAt)
            """, new { Provider = provider, Repo = repo, RunId = runId, Sha = sha, Status = status, Workflow = workflow, Started = completedAt.AddMinutes(-5), CompletedAt = completedAt });

    public Task TouchAsync(string repo, string targetKind, string targetKey, string touchSha, string classification, DateTimeOffset touchedAt, int? linesChanged = null) =>
        ExecuteAsync("""
            INSERT INTO downstream_touches (repo_slug, target_kind, target_key, touch_sha, classification, touched_ts, files_json, lines_changed)
            VALUES (@Repo, @Kind, @Key, @TouchSha, @Classification, @TouchedAt, '["src/app.py"]', @LinesChanged)
            """, new { Repo = repo, Kind = targetKind, Key = targetKey, TouchSha = touchSha, Classification = classification, TouchedAt = touchedAt, LinesChanged = linesChanged });

    private async Task ExecuteAsync(string sql, object parameters)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters));
    }
}
