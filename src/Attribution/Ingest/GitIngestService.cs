using Attribution.Git;
using System.Diagnostics;
using System.Text.Json;
using Attribution.Hosting;
using Attribution.Store;
using Attribution.Common;

namespace Attribution.Ingest;

/// <summary>
/// Scans a clone into <c>commits</c>/<c>commit_files</c>/<c>commit_refs</c>, incrementally: the cursor per
/// repository is the set of ref tips seen last time, and the walk stops at commits reachable from them.
/// </summary>
public sealed partial class GitIngestService(
    GitHistoryReader reader,
    CommitStore commits,
    RepositoryStore repositories,
    CursorStore cursors,
    ChangeSignal signal,
    ILogger<GitIngestService> logger,
    Sources.RecordedSourceIngest? recordedSources = null)
{
    public const string CursorSource = "git";
    private const int BatchSize = 500;

    /// <summary>Registers <paramref name="clonePath"/> for <paramref name="repoSlug"/> and scans it.</summary>
    public async Task<GitIngestResult> RegisterAndIngestAsync(string repoSlug, string clonePath, DateTimeOffset? since, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(clonePath);
        await repositories.RegisterAsync(repoSlug, "github", full, GitHistoryReader.DefaultBranch(full), cancellationToken);
        return await IngestAsync(repoSlug, full, since, progress, cancellationToken);
    }

    /// <summary>Reads commits new since the last scan of this repository and stores them.</summary>
    public async Task<GitIngestResult> IngestAsync(string repoSlug, string clonePath, DateTimeOffset? since, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var slug = RepoSlug.Normalize(repoSlug);
        var tips = GitHistoryReader.Tips(clonePath);
        var cursorText = await cursors.GetAsync(CursorSource, slug, cancellationToken);
        var known = cursorText is null ? [] : JsonSerializer.Deserialize<string[]>(cursorText) ?? [];
        var current = tips.Keys.Order(StringComparer.Ordinal).ToArray();
        if (known.Length > 0 && known.Order(StringComparer.Ordinal).SequenceEqual(current))
        {
            var unchanged = await ReadRecordedSourcesAsync(slug, clonePath, cancellationToken);
            return new GitIngestResult(slug, 0, 0, 0, false, stopwatch.Elapsed) { Sources = unchanged };
        }

        var batch = new List<CommitRecord>(BatchSize);
        int read = 0, files = 0, warnings = 0;
        // One batch is written while the next is read (the store is CPU-bound for SQLite, like the diffs), never two
        // at once; a failed write surfaces at the next wait, and the cursor only moves after every batch is stored.
        var writing = Task.CompletedTask;
        try
        {
            foreach (var commit in reader.ReadCommits(clonePath, current, known, since, cancellationToken))
            {
                if (!commit.FilesComplete)
                {
                    warnings++;
                }

                batch.Add(ToRecord(slug, commit, tips.TryGetValue(commit.Sha, out var names) ? names : []));
                read++;
                files += commit.Files.Count;
                if (batch.Count >= BatchSize)
                {
                    await writing;
                    var full = batch;
                    var stored = read;
                    batch = new List<CommitRecord>(BatchSize);
                    writing = Task.Run(async () =>
                    {
                        await commits.UpsertAsync(full, cancellationToken);
                        progress?.Report(stored);
                    }, cancellationToken);
                }
            }
        }
        catch
        {
            // The write in flight holds a connection and a transaction: let it end before the error leaves.
            await Task.WhenAny(writing);
            throw;
        }

        await writing;
        await commits.UpsertAsync(batch, cancellationToken);
        progress?.Report(read);
        await cursors.SetAsync(CursorSource, slug, JsonSerializer.Serialize(current), cancellationToken);
        await repositories.MarkScannedAsync(slug, cancellationToken);
        if (read > 0)
        {
            signal.Notify("git");
        }

        // After the commits: notes count the AI share of a commit's added lines, and checkpoints name commits by trailer.
        var sources = await ReadRecordedSourcesAsync(slug, clonePath, cancellationToken);
        LogScanned(logger, slug, read, files, warnings, stopwatch.ElapsedMilliseconds);
        return new GitIngestResult(slug, read, files, warnings, true, stopwatch.Elapsed) { Sources = sources };
    }

    /// <summary>Entire checkpoints and git-ai notes in the clone (docs/sources.md); two ref lookups when it has neither.</summary>
    private async Task<Sources.RecordedIngestResult?> ReadRecordedSourcesAsync(string slug, string clonePath, CancellationToken cancellationToken)
    {
        if (recordedSources is null)
        {
            return null;
        }

        var result = await recordedSources.IngestAsync(slug, clonePath, cancellationToken);
        if (result.Checkpoints + result.Notes > 0)
        {
            signal.Notify("git");
        }

        return result;
    }

    /// <summary>Maps a commit read from git to the shared commit record, with its trailers, revert relation and agent marker.</summary>
    public static CommitRecord ToRecord(string slug, GitCommitData commit, IReadOnlyList<string> refs)
    {
        var trailers = TrailerParser.Parse(commit.Message);
        var marker = AgentMarkers.Detect(commit.Message, trailers, commit.AuthorName, commit.AuthorEmail, commit.CommitterEmail);
        return new CommitRecord
        {
            RepoSlug = slug,
            Sha = commit.Sha,
            Source = "git",
            Parents = commit.Parents,
            AuthorName = commit.AuthorName,
            AuthorEmail = commit.AuthorEmail,
            AuthorTs = commit.AuthorTs,
            CommitterName = commit.CommitterName,
            CommitterEmail = commit.CommitterEmail,
            CommitterTs = commit.CommitterTs,
            Message = commit.Message,
            Trailers = trailers,
            RevertsSha = TrailerParser.RevertedSha(commit.Message),
            Agent = marker?.Agent,
            AgentModel = marker?.Model,
            FilesComplete = commit.FilesComplete,
            // One row per path (the table's key): a name that reads the same as another after decoding is kept once.
            Files = commit.Files.DistinctBy(f => f.Path, StringComparer.Ordinal)
                .Select(f => new CommitFileRecord(f.Path, f.Status, f.OldPath, f.AddedLines, f.DeletedLines)).ToList(),
            Refs = refs,
        };
    }

    [LoggerMessage(EventId = 4110, Level = LogLevel.Information, Message = "Git scan of {RepoSlug}: {Commits} commits, {Files} file changes, {Warnings} skipped objects in {ElapsedMs} ms")]
    private static partial void LogScanned(ILogger logger, string repoSlug, int commits, int files, int warnings, long elapsedMs);
}
