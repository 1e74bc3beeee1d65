using System.Net;
using Attribution.Common;
using Attribution.Store;
using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Webhooks;

/// <summary>Client, database reads and stores of one running test host.</summary>
public sealed class WebhookTestContext(AttributionApp app)
{
    public SignedWebhookClient Client { get; } = new(app.CreateClient());

    public WebhookDb Db { get; } = new(app.Database.Connections);

    public PrStore Prs { get; } = new(app.Database.Connections, TimeProvider.System);

    public static async Task<WebhookTestContext> ForAsync(AppFixture fixture, string provider) => new(await fixture.ForAsync(provider));

    /// <summary>Sends a GitHub delivery, expects 202 and waits until it is processed.</summary>
    public async Task<DeliveryRow> GitHubAsync(string eventName, byte[] body, string? deliveryId = null)
    {
        deliveryId ??= Guid.NewGuid().ToString();
        using var response = await Client.GitHubAsync(eventName, body, deliveryId);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return await Db.ProcessedAsync("github", deliveryId);
    }

    /// <summary>Sends a GitLab delivery, expects 202 and waits until it is processed.</summary>
    public async Task<DeliveryRow> GitLabAsync(string eventName, byte[] body, string? idempotencyKey = null)
    {
        idempotencyKey ??= Guid.NewGuid().ToString();
        using var response = await Client.GitLabAsync(eventName, body, idempotencyKey);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return await Db.ProcessedAsync("gitlab", idempotencyKey);
    }

    public Task<IReadOnlyList<CiRunRow>> CiRunsAsync(string repo) =>
        Db.QueryAsync<CiRunRow>("SELECT provider, repo_slug, run_id, commit_sha, status, workflow_name, branch, url, started_ts, completed_ts, run_attempt, raw_json FROM ci_runs WHERE repo_slug = @repo ORDER BY run_id", new { repo = RepoSlug.Normalize(repo) });

    public Task<IReadOnlyList<FeedbackRow>> FeedbackAsync(string repo) =>
        Db.QueryAsync<FeedbackRow>("SELECT provider, repo_slug, kind, external_id, pr_number, review_id, in_reply_to_id, path, line, commit_sha, author, body, created_at, delivery_id FROM pr_feedback WHERE repo_slug = @repo ORDER BY id", new { repo = RepoSlug.Normalize(repo) });

    public Task<IReadOnlyList<CommitRow>> CommitsAsync(string repo) =>
        Db.QueryAsync<CommitRow>("SELECT sha, author_name, author_email, author_ts, committer_name, message, subject, source FROM commits WHERE repo_slug = @repo ORDER BY author_ts", new { repo = RepoSlug.Normalize(repo) });

    public Task<IReadOnlyList<FileRow>> FilesAsync(string repo) =>
        Db.QueryAsync<FileRow>("SELECT sha, path, status FROM commit_files WHERE repo_slug = @repo ORDER BY sha, path", new { repo = RepoSlug.Normalize(repo) });

    public Task<IReadOnlyList<string>> RefsAsync(string repo, string sha) =>
        Db.QueryAsync<string>("SELECT ref FROM commit_refs WHERE repo_slug = @repo AND sha = @sha ORDER BY ref", new { repo = RepoSlug.Normalize(repo), sha });

    public Task<IReadOnlyList<PrCommitRow>> PrCommitsAsync(string repo) =>
        Db.QueryAsync<PrCommitRow>("SELECT pr_number, sha, source FROM pr_commits WHERE repo_slug = @repo ORDER BY pr_number, sha", new { repo = RepoSlug.Normalize(repo) });
}
