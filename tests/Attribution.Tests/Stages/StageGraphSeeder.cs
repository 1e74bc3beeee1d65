using Attribution.Store;
using Dapper;

namespace Attribution.Tests.Stages;

/// <summary>Seeds the attribution graph with plain SQL, as the ingest and linking features would fill it.</summary>
internal sealed class StageGraphSeeder(IDbConnectionFactory connections)
{
    public async Task SessionAsync(string id, string agent, string? model, double? cost, long input = 0, long output = 0, string repo = "o/r", string? branch = null)
    {
        await using var c = await connections.OpenAsync(CancellationToken.None);
        await c.ExecuteAsync("""
            INSERT INTO sessions (session_id, agent, model, repo_slug, git_branch, input_tokens, output_tokens, cost_usd, started_ts, updated_ts)
            VALUES (@id, @agent, @model, @repo, @branch, @input, @output, @cost, '2026-10-01T00:00:00.0000000Z', '2026-10-01T00:00:00.0000000Z')
            """, new { id, agent, model, repo, branch, input, output, cost });
    }

    public async Task PrAsync(int number, string state, string created, string? merged, string title = "Add health status endpoint", string head = "feature/health-endpoint", string repo = "o/r")
    {
        await using var c = await connections.OpenAsync(CancellationToken.None);
        await c.ExecuteAsync("""
            INSERT INTO pr_outcomes (provider, repo_slug, pr_number, title, state, head_ref, base_ref, created_at, merged_at, updated_ts)
            VALUES ('github', @repo, @number, @title, @state, @head, 'main', @created, @merged, @created)
            """, new { repo, number, title, state, head, created, merged });
    }

    public async Task CommitLinkAsync(int pr, string sha, string session, string type, double confidence, string repo = "o/r")
    {
        await using var c = await connections.OpenAsync(CancellationToken.None);
        await c.ExecuteAsync("INSERT INTO pr_commits (provider, repo_slug, pr_number, sha, source) VALUES ('github', @repo, @pr, @sha, 'git') ON CONFLICT DO NOTHING", new { repo, pr, sha });
        await c.ExecuteAsync("""
            INSERT INTO commit_session_link (commit_sha, repo_slug, session_id, link_type, confidence, evidence_json, established_ts)
            VALUES (@sha, @repo, @session, @type, @confidence, '{}', '2026-10-02T00:00:00.0000000Z')
            """, new { sha, repo, session, type, confidence });
        await c.ExecuteAsync("""
            INSERT INTO session_pr_links (session_id, provider, repo_slug, pr_number, reason, confidence, evidence_json, established_ts)
            VALUES (@session, 'github', @repo, @pr, 'commit', @confidence, '{}', '2026-10-02T00:00:00.0000000Z') ON CONFLICT DO NOTHING
            """, new { session, repo, pr, confidence });
    }

    public async Task ReviewArtifactAsync(int pr, string session, string reviewId, string repo = "o/r")
    {
        await using var c = await connections.OpenAsync(CancellationToken.None);
        await c.ExecuteAsync("""
            INSERT INTO run_attribution_artifacts (provider, repo_slug, kind, review_id, pr_number, span_id, instance_id, metadata_json, captured_ts)
            VALUES ('github', @repo, 'review', @reviewId, @pr, @session, 'default', '{}', '2026-10-02T00:00:00.0000000Z')
            """, new { repo, reviewId, pr, session });
    }

    public async Task ShellAsync(string session, string key, string ts, string command)
    {
        await using var c = await connections.OpenAsync(CancellationToken.None);
        await c.ExecuteAsync("""
            INSERT INTO session_events (session_id, record_key, kind, ts, command, is_error) VALUES (@session, @key, 'shell', @ts, @command, 0)
            """, new { session, key, ts, command });
    }

    public async Task TouchAsync(string targetKey, string sha, string classification, string ts, string repo = "o/r")
    {
        await using var c = await connections.OpenAsync(CancellationToken.None);
        await c.ExecuteAsync("""
            INSERT INTO downstream_touches (repo_slug, target_kind, target_key, touch_sha, classification, touched_ts, files_json)
            VALUES (@repo, 'pr', @targetKey, @sha, @classification, @ts, '[]')
            """, new { repo, targetKey, sha, classification, ts });
    }
}
