using System.Globalization;
using Attribution.Common;
using Attribution.Hosting;
using Attribution.Store;
using Microsoft.Extensions.Options;

namespace Attribution.Artifacts;

/// <summary>
/// Serve mode: picks up feedback rows and signed commits stored since its cursors (<c>ingest_cursors</c>, source
/// <c>artifacts</c>) and captures them, so the index fills whichever order receivers, pushes and git scans land in.
/// Cursors are (updated_ts, key): edited comments are seen again (first write still wins).
/// </summary>
public sealed class ArtifactSweeper(
    ArtifactStore store,
    ArtifactCapture capture,
    CursorStore cursors,
    IOptions<ArtifactOptions> options,
    IOptions<SigningOptions> signing,
    TimeProvider time,
    ILogger<ArtifactSweeper> logger) : BackgroundService
{
    public const string CursorSource = "artifacts";
    private const int BatchSize = 500;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!SigningKey.From(signing.Value).HasSecret)
        {
            ArtifactLog.NoSecret(logger);
        }

        var interval = TimeSpan.FromSeconds(Math.Max(1, options.Value.SweepIntervalSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                ArtifactLog.SweepFailed(logger, ex);
            }

            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over everything new; returns how many artifacts were captured.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        if (!SigningKey.From(signing.Value).HasSecret)
        {
            // Nothing can verify: leave the cursors where they are so the backlog is captured once a secret is set.
            return 0;
        }

        // One pass at a time: two concurrent passes could move a cursor backwards.
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await SweepAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var settled = time.GetUtcNow() - TimeSpan.FromSeconds(Math.Max(0, options.Value.SweepSettleSeconds));
        var captured = 0;
        var feedbackCount = 0;
        var commitCount = 0;

        var (feedbackTs, feedbackId) = ParseFeedbackCursor(await cursors.GetAsync(CursorSource, "pr_feedback", cancellationToken));
        while (true)
        {
            var rows = await store.ReadFeedbackSinceAsync(feedbackTs, feedbackId, settled, BatchSize, cancellationToken);
            foreach (var row in rows)
            {
                if (RepoSlug.IsValid(row.RepoSlug) && !string.IsNullOrWhiteSpace(row.ExternalId) && IsFeedbackKind(row.Kind))
                {
                    var result = await capture.CaptureFeedbackAsync(row, cancellationToken);
                    captured += result.Outcome == CaptureOutcome.Captured ? 1 : 0;
                }

                (feedbackTs, feedbackId) = (row.UpdatedTs, row.Id);
            }

            feedbackCount += rows.Count;
            if (rows.Count > 0)
            {
                await cursors.SetAsync(CursorSource, "pr_feedback", feedbackTs + "|" + feedbackId.ToString(CultureInfo.InvariantCulture), cancellationToken);
            }

            if (rows.Count < BatchSize)
            {
                break;
            }
        }

        var (commitTs, commitRepo, commitSha) = ParseCommitCursor(await cursors.GetAsync(CursorSource, "commits", cancellationToken));
        while (true)
        {
            var rows = await store.ReadSignedCommitsSinceAsync(commitTs, commitRepo, commitSha, settled, BatchSize, cancellationToken);
            foreach (var row in rows)
            {
                if (RepoSlug.IsValid(row.RepoSlug) && row.Sha.Length is >= 7 and <= 64 && row.Sha.All(char.IsAsciiHexDigit))
                {
                    var result = await capture.CaptureCommitAsync(row.RepoSlug, row.Sha, row.Message, cancellationToken);
                    captured += result.Outcome == CaptureOutcome.Captured ? 1 : 0;
                }

                (commitTs, commitRepo, commitSha) = (row.UpdatedTs, row.RepoSlug, row.Sha);
            }

            commitCount += rows.Count;
            if (rows.Count > 0)
            {
                await cursors.SetAsync(CursorSource, "commits", string.Join('|', commitTs, commitRepo, commitSha), cancellationToken);
            }

            if (rows.Count < BatchSize)
            {
                break;
            }
        }

        if (feedbackCount + commitCount > 0)
        {
            ArtifactLog.Swept(logger, feedbackCount, commitCount, captured);
        }

        return captured;
    }

    private static bool IsFeedbackKind(string kind) => kind is "issue_comment" or "review" or "review_comment" or "note";

    private static (string Ts, long Id) ParseFeedbackCursor(string? cursor)
    {
        var parts = cursor?.Split('|');
        return parts is [var ts, var id] && long.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? (ts, parsed)
            : ("", 0);
    }

    private static (string Ts, string Repo, string Sha) ParseCommitCursor(string? cursor)
    {
        var parts = cursor?.Split('|');
        return parts is [var ts, var repo, var sha] ? (ts, repo, sha) : ("", "", "");
    }
}
