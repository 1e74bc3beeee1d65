using Attribution.Hosting;
using Attribution.Sessions.ClaudeCode;
using Attribution.Sessions.Codex;
using Attribution.Store;
using Attribution.Common;

namespace Attribution.Sessions;

/// <summary>
/// Reads transcript files incrementally (by byte offset, only whole lines) and import bodies, resolves each
/// session's repository and merges everything into <see cref="SessionStore"/>.
/// </summary>
public sealed class SessionIngestor(
    SessionStore store,
    RepositoryStore repositories,
    PriceTable prices,
    RepoPaths paths,
    ChangeSignal signal,
    ILogger<SessionIngestor> logger)
{
    /// <summary>Message ids under which a source tool's metadata (Entire's totals, git-ai's model) is kept for a session.</summary>
    public static readonly IReadOnlySet<string> RecordedMessageIds = new HashSet<string>(StringComparer.Ordinal) { "entire", "git-ai" };

    /// <summary>Lines longer than this are skipped with a warning, never held in memory whole.</summary>
    public const int MaxLineBytes = 32 * 1024 * 1024;

    internal const int MaxFilesPerCommit = 64;
    internal const long MaxBytesPerCommit = 16L * 1024 * 1024;

    // A tool call still waiting for its result is read again next time, unless that means re-reading this much.
    private const long MaxRewindBytes = 8L * 1024 * 1024;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SessionCosts _costs = new(prices);

    /// <summary>A session's totals, model and cost from its messages (<see cref="SessionCosts.Totals"/>).</summary>
    public SessionTotals Totals(IReadOnlyList<SessionMessageUsage> messages) => _costs.Totals(messages);

    /// <summary>Ingests files and folders; reports each file done through <paramref name="progress"/>.</summary>
    public async Task<SessionIngestSummary> IngestAsync(IReadOnlyList<string> inputs, string? repo, IProgress<(int Done, int Total, string Path)>? progress, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var summary = new SessionIngestSummary();
        var files = TranscriptFiles.ExpandPaths(inputs);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var resolver = new RepositoryResolver(store, repositories, logger, repo);

            // With --repo while some sessions have none, files read before are read again from the start, so the
            // sessions they hold get the repository (an unchanged file is otherwise skipped).
            var reread = repo is not null && await store.CountWithoutRepositoryAsync(cancellationToken) > 0;
            var group = new List<(TranscriptBatch Batch, SessionFileState? File)>();
            long groupBytes = 0;
            Task<SavedGroup>? saving = null;

            // A full group is saved on another thread while the next files are read, so the database work overlaps
            // the parsing (at most two groups in memory); groups still commit one after the other, in reading order.
            async Task FlushAsync()
            {
                var reads = group.ToList();
                group.Clear();
                groupBytes = 0;
                if (saving is not null)
                {
                    Merge(summary, await saving);
                }

                saving = Task.Run(() => SaveGroupAsync(reads, resolver, cancellationToken), cancellationToken);
            }

            // Small files are committed together (one transaction per group, each file's position with its data).
            async Task AddAsync(TranscriptBatch batch, SessionFileState file, long bytes)
            {
                group.Add((batch, file));
                groupBytes += bytes;
                if (group.Count >= MaxFilesPerCommit || groupBytes >= MaxBytesPerCommit)
                {
                    await FlushAsync();
                }
            }

            try
            {
                IReadOnlyDictionary<string, SessionFileState> states = new Dictionary<string, SessionFileState>();
                for (var i = 0; i < files.Count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();

                    // Positions are looked up for a run of files at once (a file's own position changes only when it is saved).
                    if (i % MaxFilesPerCommit == 0)
                    {
                        states = await store.GetFilesAsync(files.Skip(i).Take(MaxFilesPerCommit), cancellationToken);
                    }

                    await ReadFileAsync(files[i], reread ? null : states.GetValueOrDefault(files[i]), summary, AddAsync, cancellationToken);
                    progress?.Report((i + 1, files.Count, files[i]));
                }

                if (group.Count > 0)
                {
                    await FlushAsync();
                }

                if (saving is not null)
                {
                    Merge(summary, await saving);
                    saving = null;
                }
            }
            finally
            {
                // Reading failed while a group was being saved: let that save finish (it commits or rolls back whole)
                // before the gate is released; the reading failure is the one reported.
                if (saving is not null)
                {
                    await saving.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                }
            }

            await resolver.ResolveOrphansAsync(cancellationToken);
            summary.SessionsWithoutRepository = await store.CountWithoutRepositoryAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }

        summary.Files = files.Count;
        Common.AttributionMetrics.IngestDuration.WithLabels("sessions").Observe(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        if (summary.Changed)
        {
            signal.Notify("sessions");
        }

        return summary;
    }

    /// <summary>Ingests one transcript posted as a body (no file position is kept).</summary>
    public async Task<SessionImportResult> ImportAsync(Stream body, string agent, string? repo, CancellationToken cancellationToken) =>
        await SaveParsedAsync([await ParseAsync(body, agent, cancellationToken)], repo, cancellationToken);

    /// <summary>
    /// Parses one transcript held in memory (e.g. read from a checkpoint branch) with the reader of its format, without
    /// storing it (any thread; <see cref="SaveParsedAsync"/> stores it); null when the format is none the product reads.
    /// </summary>
    public async Task<TranscriptBatch?> ParseTranscriptAsync(byte[] transcript, CancellationToken cancellationToken)
    {
        using var probe = new MemoryStream(transcript, writable: false);
        if (await AgentDetection.RecognizedAsync(probe, cancellationToken) is not { } agent)
        {
            return null;
        }

        using var body = new MemoryStream(transcript, writable: false);
        return await ParseAsync(body, agent, cancellationToken);
    }

    private async Task<TranscriptBatch> ParseAsync(Stream body, string agent, CancellationToken cancellationToken)
    {
        var batch = new TranscriptBatch("import");
        TranscriptParser parser = agent == SessionAgents.Codex ? new CodexParser(paths) : new ClaudeCodeParser(paths);
        var reader = new JsonlLineReader(body, 0, long.MaxValue, MaxLineBytes);
        long line = 0;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            if (read.Status == LineStatus.End)
            {
                break;
            }

            line++;
            if (read.Status == LineStatus.Oversized || (read.Status == LineStatus.Incomplete && read.Text.IsEmpty))
            {
                batch.Skip(line, "line longer than the 32 MiB limit");
            }
            else
            {
                parser.ParseLine(read.Text, line, read.StartOffset, batch);
            }

            if (read.Status == LineStatus.Incomplete)
            {
                break;
            }
        }

        parser.Complete(batch);
        return batch;
    }

    /// <summary>Stores parsed transcripts (no file position is kept) in one transaction, in order; the sessions they hold.</summary>
    public async Task<SessionImportResult> SaveParsedAsync(IReadOnlyList<TranscriptBatch> batches, string? repo, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var resolver = new RepositoryResolver(store, repositories, logger, repo);
            Merge(new SessionIngestSummary(), await SaveGroupAsync([.. batches.Select(b => (b, (SessionFileState?)null))], resolver, cancellationToken));
        }
        finally
        {
            _gate.Release();
        }

        if (batches.Any(b => b.Sessions.Count > 0))
        {
            signal.Notify("sessions");
        }

        return new SessionImportResult(
            [.. batches.SelectMany(b => b.Sessions.Values).Select(s => new ImportedSession(s.SessionId, s.Events.Count))],
            batches.Sum(b => b.SkippedLines));
    }

    /// <summary>
    /// Reads a file from its stored position and hands what it read to <paramref name="save"/> with the position
    /// reached and the bytes read; a file longer than one commit's worth is handed over in parts, so memory
    /// stays bounded whatever its size.
    /// </summary>
    private async Task ReadFileAsync(
        string path, SessionFileState? state, SessionIngestSummary summary, Func<TranscriptBatch, SessionFileState, long, Task> save, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            var size = stream.Length;
            if (state is not null && state.Size == size && await TranscriptFiles.HeadMatchesAsync(stream, state.HeadHash, cancellationToken))
            {
                return;
            }

            long start = 0;
            long lineCount = 0;
            if (state is not null && size >= state.ByteOffset && await TranscriptFiles.HeadMatchesAsync(stream, state.HeadHash, cancellationToken))
            {
                start = state.ByteOffset;
                lineCount = state.LineCount;
            }
            else
            {
                state = null;
            }

            var head = await TranscriptFiles.HeadHashAsync(stream, Math.Min(size, TranscriptFiles.HeadBytes), cancellationToken);
            var agent = state?.Agent ?? await AgentDetection.DetectAsync(stream, path, cancellationToken);
            TranscriptParser parser;
            if (agent == SessionAgents.Codex)
            {
                var known = state?.SessionId is { } id ? await store.GetSessionAsync(id, cancellationToken) : null;
                parser = new CodexParser(paths, state?.SessionId, known?.Cwd, known?.Model);
            }
            else
            {
                parser = new ClaudeCodeParser(paths);
            }

            stream.Seek(start, SeekOrigin.Begin);
            var batch = new TranscriptBatch(path);
            var reader = new JsonlLineReader(stream, start, size - start, MaxLineBytes);
            var consumed = start;
            var line = lineCount;
            var savedTo = start;
            var sessionId = agent == SessionAgents.Codex ? state?.SessionId : null;
            var sessions = new HashSet<string>(StringComparer.Ordinal);
            int events = 0, skipped = 0;
            while (true)
            {
                if (consumed - savedTo >= MaxBytesPerCommit)
                {
                    // A part's position is where reading again loses nothing: the oldest call still waiting for its result.
                    // Its size is that position too, not the file's: were the run killed before the next part is saved, the
                    // next run must see a file longer than what was saved and read on from there (with the file's size
                    // it would see an unchanged file and never read the rest).
                    var oldest = parser.OldestPending();
                    sessionId ??= agent == SessionAgents.Codex ? batch.Sessions.Keys.FirstOrDefault() : null;
                    Count(batch);
                    var partEnd = oldest?.LineStart ?? consumed;
                    await save(batch, State(partEnd, oldest is { } o ? o.LineNumber - 1 : line, partEnd), consumed - savedTo);
                    batch = new TranscriptBatch(path, batch);
                    savedTo = consumed;
                }

                var read = await reader.ReadAsync(cancellationToken);
                if (read.Status == LineStatus.Line)
                {
                    line++;
                    parser.ParseLine(read.Text, line, read.StartOffset, batch);
                    consumed = read.EndOffset;
                }
                else if (read.Status == LineStatus.Oversized)
                {
                    line++;
                    batch.Skip(line, "line longer than the 32 MiB limit");
                    consumed = read.EndOffset;
                }
                else if (read.Status == LineStatus.Incomplete && TranscriptFiles.IsCompleteRecord(read.Text))
                {
                    // A final record written without its newline is whole; one still being written is not valid JSON yet.
                    line++;
                    parser.ParseLine(read.Text, line, read.StartOffset, batch);
                    consumed = read.EndOffset;
                    break;
                }
                else
                {
                    break;
                }
            }

            var readTo = consumed;
            if (parser.Complete(batch) is { } resume && resume.LineStart >= start && consumed - resume.LineStart <= MaxRewindBytes)
            {
                consumed = resume.LineStart;
                line = resume.LineNumber - 1;
            }

            sessionId ??= agent == SessionAgents.Codex ? batch.Sessions.Keys.FirstOrDefault() : null;
            Count(batch);
            summary.FilesRead++;
            SessionLog.FileIngested(logger, path, sessions.Count, events, skipped);
            await save(batch, State(consumed, line), readTo - savedTo);

            // Size: how much of the file this state accounts for (the whole file once it is read to the end).
            SessionFileState State(long offset, long lines, long? readThrough = null) =>
                new() { Path = path, Size = readThrough ?? size, ByteOffset = offset, LineCount = lines, HeadHash = head, Agent = agent, SessionId = sessionId };

            void Count(TranscriptBatch part)
            {
                sessions.UnionWith(part.Sessions.Keys);
                events += part.Sessions.Values.Sum(s => s.Events.Count);
                skipped += part.SkippedLines;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            summary.Warnings.Add($"{path}: {ex.Message}");
            SessionLog.FileUnreadable(logger, path, ex.Message);
        }
    }

    /// <summary>Saves one group of reads (one transaction); the summary is updated from the result by <see cref="Merge"/>.</summary>
    private async Task<SavedGroup> SaveGroupAsync(IReadOnlyList<(TranscriptBatch Batch, SessionFileState? File)> reads, RepositoryResolver resolver, CancellationToken cancellationToken)
    {
        var drafts = reads.SelectMany(r => r.Batch.Sessions.Values).ToList();
        var result = await store.SaveAsync(drafts, resolver.ResolveAsync, [.. reads.Where(r => r.File is not null).Select(r => r.File!)], Totals, cancellationToken);
        return new SavedGroup(reads, result);
    }

    private void Merge(SessionIngestSummary summary, SavedGroup saved)
    {
        summary.SessionsNew += saved.Result.NewSessions;
        summary.SessionsUpdated += saved.Result.UpdatedSessions;
        summary.Events += saved.Result.NewEvents;
        foreach (var batch in saved.Reads.Select(r => r.Batch))
        {
            summary.SkippedLines += batch.SkippedLines;
            foreach (var warning in batch.Warnings)
            {
                summary.Warnings.Add(warning);
                SessionLog.TranscriptWarning(logger, warning);
            }

            if (batch.SuppressedWarnings > 0)
            {
                SessionLog.WarningsSuppressed(logger, batch.Source, batch.SuppressedWarnings);
            }
        }
    }

    private sealed record SavedGroup(IReadOnlyList<(TranscriptBatch Batch, SessionFileState? File)> Reads, SessionSaveResult Result);

    /// <summary>Stores sessions known from a source tool's metadata alone (no transcript): agent, model, tokens, times.</summary>
    public async Task SaveRecordedSessionsAsync(IReadOnlyCollection<SessionDraft> drafts, string repo, CancellationToken cancellationToken)
    {
        if (drafts.Count == 0)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await store.SaveAsync(drafts, (_, _, _) => Task.FromResult<string?>(repo), [], Totals, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }

        signal.Notify("sessions");
    }

}
