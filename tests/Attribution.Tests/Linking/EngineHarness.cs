using Attribution.Ingest;
using Attribution.Git;
using Attribution.Hosting;
using Attribution.Linking;
using Attribution.Sessions;
using Attribution.Sources;
using Attribution.Store;
using Attribution.Tests.Git;
using Attribution.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Attribution.Common;

namespace Attribution.Tests.Linking;

/// <summary>The engine over a fresh test database, with helpers that seed sessions, events and PRs with raw SQL.</summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private int _eventKey;

    private EngineHarness(TestDatabase database, FakeTimeProvider time, IAgentsAttributionVerifier verifier)
    {
        Database = database;
        Time = time;
        var connections = database.Connections;
        Repositories = new RepositoryStore(connections, time);
        Cursors = new CursorStore(connections, time);
        Commits = new CommitStore(connections, time);
        Reader = new GitHistoryReader(NullLogger<GitHistoryReader>.Instance);
        Signal = new ChangeSignal();
        Recorded = new RecordedStore(connections, time);
        Sessions = new SessionIngestor(new SessionStore(connections, time), Repositories, new PriceTable(), new RepoPaths(), Signal, NullLogger<SessionIngestor>.Instance);
        var sources = new RecordedSourceIngest(Sessions, Recorded, Cursors, Commits, NullLogger<RecordedSourceIngest>.Instance);
        GitIngest = new GitIngestService(Reader, Commits, Repositories, Cursors, Signal, NullLogger<GitIngestService>.Instance, sources);
        Links = new LinkStore(connections, time);
        Downstream = new DownstreamStore(connections);
        Backfill = new AttributionBackfill(GitIngest, Reader, Repositories, new LinkingInputStore(connections), Cursors, Links, Downstream,
            verifier, Microsoft.Extensions.Options.Options.Create(Options), time, NullLogger<AttributionBackfill>.Instance, Recorded);
    }

    public TestDatabase Database { get; }
    public FakeTimeProvider Time { get; }
    public RepositoryStore Repositories { get; }
    public CursorStore Cursors { get; }
    public CommitStore Commits { get; }
    public GitHistoryReader Reader { get; }
    public ChangeSignal Signal { get; }
    public GitIngestService GitIngest { get; }
    public LinkStore Links { get; }
    public RecordedStore Recorded { get; }
    public SessionIngestor Sessions { get; }
    public DownstreamStore Downstream { get; }
    public AttributionBackfill Backfill { get; }
    public LinkingOptions Options { get; } = new();

    public static async Task<EngineHarness> CreateAsync(string provider, DateTimeOffset now, IAgentsAttributionVerifier? verifier = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        return new EngineHarness(database, new FakeTimeProvider(now), verifier ?? new NoAgentsAttributionVerifier());
    }

    public Task<GitIngestResult> IngestAsync(string slug, string path) =>
        GitIngest.RegisterAndIngestAsync(slug, path, null, null, CancellationToken.None);

    public Task<GitIngestResult> IngestAsync(string slug, TestRepository repo) =>
        GitIngest.RegisterAndIngestAsync(slug, repo.Path, null, null, CancellationToken.None);

    public Task<BackfillResult> BackfillAsync(string? slug = null) =>
        Backfill.RunAsync(slug, TimeSpan.FromDays(365), null, CancellationToken.None);

    public async Task SessionAsync(string id, string? repo, DateTimeOffset start, DateTimeOffset end, string agent = "claude-code", string? parent = null, string? cwd = null,
        string? remoteId = null)
    {
        await using var c = await Database.Connections.OpenAsync(CancellationToken.None);
        await c.ExecuteAsync(
            """
            INSERT INTO sessions (session_id, agent, model, started_ts, ended_ts, repo_slug, parent_session_id, cwd, remote_id, updated_ts)
            VALUES (@id, @agent, 'claude-opus-4-6', @start, @end, @repo, @parent, @cwd, @remoteId, @end)
            """,
            new { id, agent, start, end, repo, parent, cwd, remoteId });
    }

    public async Task EventAsync(string session, string kind, DateTimeOffset ts, string? path = null, string? text = null, string? sha = null,
        string? branch = null, string? command = null, string? output = null, string? url = null, int? prNumber = null, int isError = 0, string? subject = null,
        string? absPath = null)
    {
        await using var c = await Database.Connections.OpenAsync(CancellationToken.None);
        await c.ExecuteAsync(
            """
            INSERT INTO session_events (session_id, record_key, kind, ts, command, output_excerpt, is_error, path, abs_path, added_text, sha, branch, subject, url, pr_number)
            VALUES (@session, @key, @kind, @ts, @command, @output, @isError, @path, @absPath, @text, @sha, @branch, @subject, @url, @prNumber)
            """,
            new { session, key = $"k{Interlocked.Increment(ref _eventKey)}", kind, ts, command, output, isError, path, absPath, text, sha, branch, subject, url, prNumber });
    }

    public async Task PullRequestAsync(string repo, int number, string state, string headRef, string? headSha, string baseRef,
        DateTimeOffset? mergedAt = null, string? mergeSha = null, int? revertedByPr = null, string? url = null)
    {
        await using var c = await Database.Connections.OpenAsync(CancellationToken.None);
        await c.ExecuteAsync(
            """
            INSERT INTO pr_outcomes (provider, repo_slug, pr_number, title, state, merged_at, head_ref, head_sha, base_ref, merge_commit_sha, reverted_by_pr, url, updated_ts)
            VALUES ('github', @repo, @number, 'title', @state, @mergedAt, @headRef, @headSha, @baseRef, @mergeSha, @revertedByPr, @url, @now)
            """,
            new { repo, number, state, mergedAt, headRef, headSha, baseRef, mergeSha, revertedByPr, url, now = Time.GetUtcNow() });
    }

    public async Task<IReadOnlyList<StoredCommitLink>> CommitLinksAsync(string repo) => await Links.CommitLinksAsync(repo, CancellationToken.None);

    public async Task<StoredCommitLink?> LinkAsync(string repo, string sha, string session) =>
        (await CommitLinksAsync(repo)).SingleOrDefault(l => l.CommitSha == sha && l.SessionId == session);

    public async Task<IReadOnlyList<(string SessionId, string Reason, double Confidence)>> PrLinksAsync(string repo, int number)
    {
        await using var c = await Database.Connections.OpenAsync(CancellationToken.None);
        var rows = await c.QueryAsync<StoredPrLink>("SELECT session_id AS SessionId, reason AS Reason, confidence AS Confidence, evidence_json AS EvidenceJson FROM session_pr_links WHERE repo_slug = @repo AND pr_number = @number", new { repo, number });
        return rows.Select(r => (r.SessionId, r.Reason, r.Confidence)).ToList();
    }

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var c = await Database.Connections.OpenAsync(CancellationToken.None);
        return await c.ExecuteScalarAsync<T>(sql, args) ?? throw new InvalidOperationException("null scalar");
    }

    public async Task<IReadOnlyList<(string TouchSha, string Classification)>> TouchesAsync(string repo, string kind, string key)
    {
        await using var c = await Database.Connections.OpenAsync(CancellationToken.None);
        var rows = await c.QueryAsync<TouchRowDto>("SELECT touch_sha AS TouchSha, classification AS Classification FROM downstream_touches WHERE repo_slug = @repo AND target_kind = @kind AND target_key = @key ORDER BY touched_ts", new { repo, kind, key });
        return rows.Select(r => (r.TouchSha, r.Classification)).ToList();
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();

    private sealed class TouchRowDto
    {
        public string TouchSha { get; set; } = "";
        public string Classification { get; set; } = "";
    }
}
