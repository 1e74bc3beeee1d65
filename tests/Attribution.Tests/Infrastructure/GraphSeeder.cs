using System.Security.Cryptography;
using Attribution.Store;
using Dapper;

namespace Attribution.Tests.Infrastructure;

/// <summary>
/// Seeds the attribution graph the way the engine, the session ingest and the webhooks would leave it, through their
/// stores.
/// </summary>
public sealed class GraphSeeder(IDbConnectionFactory connections, TimeProvider? clock = null)
{
    public static string NewRepo() => "acme/r" + Convert.ToHexString(RandomNumberGenerator.GetBytes(5)).ToLowerInvariant();

    /// <summary>A random 40-hex sha, optionally starting with <paramref name="prefix"/>.</summary>
    public static string NewSha(string prefix = "") =>
        prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(20)).ToLowerInvariant()[prefix.Length..];

    public static string NewSessionId() => Guid.NewGuid().ToString();

    private TimeProvider Clock => clock ?? TimeProvider.System;

    public async Task CommitAsync(string repo, string sha, string message, DateTimeOffset committedAt, string? agent = null, string? agentModel = null, string? revertsSha = null,
        IReadOnlyList<string>? files = null)
    {
        await new CommitStore(connections, Clock).UpsertAsync([new CommitRecord
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
            Files = (files ?? ["src/app.py"]).Select(path => new CommitFileRecord(path, "modified", null, 3, 1)).ToList(),
        }], CancellationToken.None);
    }

    /// <summary>A session as the ingest stores it: one message carrying its tokens, its cost as priced.</summary>
    public async Task SessionAsync(string sessionId, string agent, string? model, string? repo, double? costUsd,
        DateTimeOffset startedAt, DateTimeOffset endedAt, string? branch = "feat/x", long input = 1200, long output = 340, long cacheWrite = 50, long cacheRead = 9000,
        string? title = null, IReadOnlyList<SessionEventRecord>? events = null)
    {
        var draft = new SessionDraft(sessionId, agent) { Cwd = "/work/app", GitBranch = branch, Title = title };
        draft.Events.AddRange(events ?? []);
        draft.SeeTimestamp(startedAt);
        draft.SeeTimestamp(endedAt);
        draft.AddMessage(new SessionMessage(sessionId, "m-1", model, startedAt, input, output, cacheWrite, cacheRead));
        var totals = new SessionTotals(model, input, output, cacheWrite, cacheRead, costUsd is { } cost ? (decimal)cost : null);
        await new SessionStore(connections, Clock).SaveAsync([draft], (_, _, _) => Task.FromResult(repo), [], _ => totals, CancellationToken.None);
    }

    public Task LinkAsync(string repo, string sha, string sessionId, string linkType, double confidence, string evidenceJson = """{"method":"commit-output"}""") =>
        new LinkStore(connections, Clock).UpsertCommitLinksAsync([new CommitSessionLink(sha, repo, sessionId, linkType, confidence, evidenceJson)], CancellationToken.None);

    /// <summary>A PR as the webhooks store it; a revert is recorded as made by PR <paramref name="revertedByPr"/> (default: the next number).</summary>
    public async Task PrAsync(string repo, int number, string title, string state, DateTimeOffset createdAt, DateTimeOffset? mergedAt = null,
        string? headSha = null, string? mergeSha = null, int downstreamTouchCount = 0, DateTimeOffset? revertedAt = null, string provider = "github", long? revertedByPr = null, DateTimeOffset? lastTouchAt = null,
        string headRef = "feat/x")
    {
        var prs = new PrStore(connections, Clock);
        await prs.UpsertAsync(new PullRequestRow
        {
            Provider = provider,
            RepoSlug = repo,
            PrNumber = number,
            State = state,
            Title = title,
            Author = "dev",
            Url = $"https://github.com/{repo}/pull/{number}",
            HeadRef = headRef,
            HeadSha = headSha,
            BaseRef = "main",
            MergeCommitSha = mergeSha,
            MergedAt = mergedAt,
            CreatedAt = createdAt,
            SourceUpdatedAt = mergedAt ?? createdAt,
        }, CancellationToken.None);
        if (revertedAt is { } reverted)
        {
            await prs.MarkRevertedAsync(provider, repo, number, reverted, revertedByPr ?? number + 1, CancellationToken.None);
        }

        if (downstreamTouchCount > 0)
        {
            await new DownstreamStore(connections).UpdatePrCountersAsync(repo, [(provider, number, downstreamTouchCount, lastTouchAt)], CancellationToken.None);
        }
    }

    public Task PrCommitAsync(string repo, int number, string sha, string provider = "github") =>
        new PrStore(connections, Clock).AddCommitsAsync(provider, repo, number, [sha], "git", CancellationToken.None);

    /// <summary>Links a session to a PR, keeping its other sessions (the linker replaces a PR's links all at once).</summary>
    public async Task SessionPrLinkAsync(string sessionId, string repo, int number, string provider = "github", string reason = "commit", double confidence = 1.0, string evidenceJson = "{}")
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        var others = (await connection.QueryAsync<(string SessionId, string Reason, double Confidence, string EvidenceJson)>(new CommandDefinition("""
            SELECT session_id, reason, confidence, evidence_json FROM session_pr_links
            WHERE provider = @Provider AND repo_slug = @Repo AND pr_number = @Number AND session_id <> @SessionId
            """, new { Provider = provider, Repo = repo, Number = number, SessionId = sessionId })))
            .Select(r => new SessionPrLink(r.SessionId, provider, repo, number, r.Reason, r.Confidence, r.EvidenceJson));
        await new LinkStore(connections, Clock).ReplacePrLinksAsync(provider, repo, number,
            [.. others, new SessionPrLink(sessionId, provider, repo, number, reason, confidence, evidenceJson)], 0.5, CancellationToken.None);
    }

    public Task CiRunAsync(string repo, string runId, string sha, string status, DateTimeOffset completedAt, string workflow = "build", string provider = "github-actions", string? url = null) =>
        new CiRunStore(connections, Clock).UpsertAsync(new CiRunRow
        {
            Provider = provider,
            RepoSlug = repo,
            RunId = runId,
            CommitSha = sha,
            Status = status,
            WorkflowName = workflow,
            Branch = "main",
            Url = url,
            StartedTs = completedAt.AddMinutes(-5),
            CompletedTs = completedAt,
            SourceUpdatedAt = completedAt,
        }, CancellationToken.None);

    /// <summary>Adds a touch of one target, keeping its others (the engine replaces a target's touches all at once).</summary>
    public async Task TouchAsync(string repo, string targetKind, string targetKey, string touchSha, string classification, DateTimeOffset touchedAt, int? linesChanged = null,
        string filesJson = """["src/app.py"]""")
    {
        var store = new DownstreamStore(connections);
        var touches = (await store.TouchesOfAsync(repo, targetKind, [targetKey], CancellationToken.None)).Where(t => t.TouchSha != touchSha).ToList();
        touches.Add(new DownstreamTouch(targetKind, targetKey, touchSha, classification, touchedAt, filesJson, linesChanged));
        await store.ReplaceAsync(repo, new HashSet<(string, string)> { (targetKind, targetKey) }, touches, CancellationToken.None, onlyTargets: true);
    }
}
