using System.Security.Cryptography;
using System.Text.Json;
using Attribution.Git;
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

    private const int HeadBytes = 4096;
    private const int MaxFilesPerCommit = 64;
    private const long MaxBytesPerCommit = 16L * 1024 * 1024;

    // A tool call still waiting for its result is read again next time, unless that means re-reading this much.
    private const long MaxRewindBytes = 8L * 1024 * 1024;

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The default transcript folders: Claude Code projects and Codex sessions.</summary>
    public static IReadOnlyList<string> DefaultFolders()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var claude = Environment.GetEnvironmentVariable("CLAUDE_CONFIG_DIR") is { Length: > 0 } c ? c : Path.Combine(home, ".claude");
        var codex = Environment.GetEnvironmentVariable("CODEX_HOME") is { Length: > 0 } x ? x : Path.Combine(home, ".codex");
        return [Path.Combine(claude, "projects"), Path.Combine(codex, "sessions")];
    }

    /// <summary>Every <c>*.jsonl</c> under the given files and folders, in a stable order.</summary>
    public static IReadOnlyList<string> ExpandPaths(IEnumerable<string> inputs)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            var full = Path.GetFullPath(input);
            if (File.Exists(full))
            {
                files.Add(full);
            }
            else if (Directory.Exists(full))
            {
                var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
                foreach (var file in Directory.EnumerateFiles(full, "*.jsonl", options))
                {
                    files.Add(file);
                }
            }
        }

        return [.. files];
    }

    /// <summary>Ingests files and folders; reports each file done through <paramref name="progress"/>.</summary>
    public async Task<SessionIngestSummary> IngestAsync(IReadOnlyList<string> inputs, string? repo, IProgress<(int Done, int Total, string Path)>? progress, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var summary = new SessionIngestSummary();
        var files = ExpandPaths(inputs);
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

            await ResolveOrphansAsync(resolver, cancellationToken);
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
    public async Task<SessionImportResult> ImportAsync(Stream body, string agent, string? repo, CancellationToken cancellationToken)
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
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var resolver = new RepositoryResolver(store, repositories, logger, repo);

            // With --repo while some sessions have none, files read before are read again from the start, so the
            // sessions they hold get the repository (an unchanged file is otherwise skipped).
            var reread = repo is not null && await store.CountWithoutRepositoryAsync(cancellationToken) > 0;
            Merge(new SessionIngestSummary(), await SaveGroupAsync([(batch, null)], resolver, cancellationToken));
        }
        finally
        {
            _gate.Release();
        }

        if (batch.Sessions.Count > 0)
        {
            signal.Notify("sessions");
        }

        return new SessionImportResult(
            [.. batch.Sessions.Values.Select(s => new ImportedSession(s.SessionId, s.Events.Count))],
            batch.SkippedLines);
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
            if (state is not null && state.Size == size && await HeadMatchesAsync(stream, state.HeadHash, cancellationToken))
            {
                return;
            }

            long start = 0;
            long lineCount = 0;
            if (state is not null && size >= state.ByteOffset && await HeadMatchesAsync(stream, state.HeadHash, cancellationToken))
            {
                start = state.ByteOffset;
                lineCount = state.LineCount;
            }
            else
            {
                state = null;
            }

            var head = await HeadHashAsync(stream, Math.Min(size, HeadBytes), cancellationToken);
            var agent = state?.Agent ?? await DetectAgentAsync(stream, path, cancellationToken);
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
                else if (read.Status == LineStatus.Incomplete && IsCompleteRecord(read.Text))
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

    /// <summary>
    /// Totals, model (most output tokens) and cost (null when any priced message has an unknown model). A forked
    /// Codex sub-agent's inherited usage (<see cref="CodexParser.ForkBaseMessageId"/>) is taken off its running total.
    /// </summary>
    public SessionTotals Totals(IReadOnlyList<SessionMessageUsage> messages)
    {
        if (messages.FirstOrDefault(m => m.MessageId == CodexParser.ForkBaseMessageId) is { } inherited)
        {
            messages = [.. messages.Where(m => m.MessageId != CodexParser.ForkBaseMessageId).Select(m => m.MessageId != CodexParser.TotalMessageId ? m : m with
            {
                InputTokens = Math.Max(0, m.InputTokens - inherited.InputTokens),
                OutputTokens = Math.Max(0, m.OutputTokens - inherited.OutputTokens),
                CacheReadTokens = Math.Max(0, m.CacheReadTokens - inherited.CacheReadTokens),
            })];
        }

        // Totals a source tool reported (docs/sources.md) stand in for a session only until its own messages are read.
        if (messages.Any(m => !RecordedMessageIds.Contains(m.MessageId)) && messages.Any(m => RecordedMessageIds.Contains(m.MessageId)))
        {
            messages = messages.Where(m => !RecordedMessageIds.Contains(m.MessageId)).ToList();
        }

        long input = 0, output = 0, write = 0, read = 0;
        decimal cost = 0;
        var known = messages.Count > 0;
        var byModel = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var m in messages)
        {
            input += m.InputTokens;
            output += m.OutputTokens;
            write += m.CacheWriteTokens;
            read += m.CacheReadTokens;
            if (m.Model is { Length: > 0 } model)
            {
                byModel[model] = byModel.GetValueOrDefault(model) + m.OutputTokens;
            }

            if (m.InputTokens + m.OutputTokens + m.CacheWriteTokens + m.CacheReadTokens == 0)
            {
                continue;
            }

            var c = prices.Cost(m.Model, m.Ts, m.InputTokens, m.OutputTokens, m.CacheWriteTokens, m.CacheReadTokens);
            if (c is null)
            {
                known = false;
            }
            else
            {
                cost += c.Value;
            }
        }

        var top = byModel.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key).FirstOrDefault();
        if (top is null || prices.Find(top, messages.Select(m => m.Ts).Max()) is null)
        {
            known = false;
        }

        return new SessionTotals(top, input, output, write, read, known ? decimal.Round(cost, 6) : null);
    }

    private async Task ResolveOrphansAsync(RepositoryResolver resolver, CancellationToken cancellationToken)
    {
        // Nothing can match while no repository is registered: skip the per-session queries.
        if ((await repositories.ListAsync(cancellationToken)).Count == 0)
        {
            return;
        }

        foreach (var sessionId in await store.ListUnresolvedSessionIdsAsync(cancellationToken))
        {
            var slug = await resolver.FromCommitsAsync(sessionId, [], includeStored: true, cancellationToken);
            if (slug is not null && await store.SetRepositoryAsync(sessionId, slug, cancellationToken))
            {
                SessionLog.RepositoryResolved(logger, sessionId, slug, "commit");
            }
        }
    }

    private static bool IsCompleteRecord(ReadOnlyMemory<byte> text)
    {
        if (text.IsEmpty || text.Span.TrimEnd(" \t\r"u8) is not { Length: > 0 } trimmed || trimmed[^1] != (byte)'}')
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static Task<string> HeadHashAsync(Stream stream, long length, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Span<byte> buffer = stackalloc byte[HeadBytes];
        buffer = buffer[..(int)Math.Min(length, HeadBytes)];
        stream.Seek(0, SeekOrigin.Begin);
        stream.ReadExactly(buffer);
        return Task.FromResult($"{buffer.Length}:{Convert.ToHexStringLower(SHA256.HashData(buffer))}");
    }

    private static async Task<bool> HeadMatchesAsync(Stream stream, string? stored, CancellationToken cancellationToken)
    {
        var colon = stored?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (stored is null || colon < 1 || !long.TryParse(stored.AsSpan(0, colon), out var length) || length > stream.Length)
        {
            return false;
        }

        return await HeadHashAsync(stream, length, cancellationToken) == stored;
    }

    /// <summary>
    /// Ingests a transcript held in memory (e.g. read from a checkpoint branch) with the reader of its format;
    /// null when the format is none the product reads.
    /// </summary>
    public async Task<SessionImportResult?> ImportTranscriptAsync(byte[] transcript, string? repo, CancellationToken cancellationToken)
    {
        using var probe = new MemoryStream(transcript, writable: false);
        if (await RecognizedAgentAsync(probe, cancellationToken) is not { } agent)
        {
            return null;
        }

        using var body = new MemoryStream(transcript, writable: false);
        return await ImportAsync(body, agent, repo, cancellationToken);
    }

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

    private static async Task<string> DetectAgentAsync(Stream stream, string path, CancellationToken cancellationToken)
    {
        if (Path.GetFileName(path).StartsWith("rollout-", StringComparison.Ordinal))
        {
            return SessionAgents.Codex;
        }

        return await RecognizedAgentAsync(stream, cancellationToken) ?? SessionAgents.ClaudeCode;
    }

    /// <summary>The agent whose transcript format the first lines show, null when none the product reads.</summary>
    private static async Task<string?> RecognizedAgentAsync(Stream stream, CancellationToken cancellationToken)
    {
        stream.Seek(0, SeekOrigin.Begin);
        // A few first lines decide: start with a small buffer (a 64 KiB one per new file was a third of the ingest's garbage).
        var reader = new JsonlLineReader(stream, 0, Math.Min(stream.Length, 1024 * 1024), 1024 * 1024, initialBufferBytes: 4096);
        for (var i = 0; i < 5; i++)
        {
            var read = await reader.ReadAsync(cancellationToken);
            if (read.Status is LineStatus.End or LineStatus.Oversized || read.Text.IsEmpty)
            {
                break;
            }

            try
            {
                using var document = JsonDocument.Parse(read.Text);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("payload", out _)
                    && root.Str("type") is "session_meta" or "response_item" or "event_msg" or "turn_context")
                {
                    return SessionAgents.Codex;
                }

                if (root.ValueKind == JsonValueKind.Object && root.Str("sessionId") is not null)
                {
                    return SessionAgents.ClaudeCode;
                }
            }
            catch (JsonException)
            {
                // Decided by a later line.
            }

            if (read.Status == LineStatus.Incomplete)
            {
                break;
            }
        }

        return null;
    }

    /// <summary>Finds a session's repository: <c>--repo</c>, else its cwd's registered origin, else the one registered repository holding its commits.</summary>
    private sealed class RepositoryResolver(SessionStore store, RepositoryStore repositories, ILogger logger, string? explicitRepo)
    {
        private readonly Dictionary<string, string?> _byCwd = new(StringComparer.Ordinal);
        private bool? _anyRegistered;

        public async Task<string?> ResolveAsync(SessionDraft draft, (string? RepoSlug, string? Cwd)? existing, CancellationToken cancellationToken)
        {
            if (explicitRepo is not null)
            {
                return explicitRepo;
            }

            if (existing?.RepoSlug is not null)
            {
                return null;
            }

            // Both remaining rules need a registered repository; with none there is nothing to look up.
            _anyRegistered ??= (await repositories.ListAsync(cancellationToken)).Count > 0;
            if (_anyRegistered == false)
            {
                return null;
            }

            var cwd = draft.Cwd ?? existing?.Cwd;
            if (cwd is not null)
            {
                if (!_byCwd.TryGetValue(cwd, out var fromCwd))
                {
                    fromCwd = RemoteReader.OriginSlug(cwd) is { } origin && await repositories.FindAsync(origin, cancellationToken) is { } registered
                        ? registered.Slug
                        : null;
                    _byCwd[cwd] = fromCwd;
                }

                if (fromCwd is not null)
                {
                    return fromCwd;
                }
            }

            var shas = draft.Events.Where(e => e.Kind == SessionEventKinds.Commit && e.Sha is not null).Select(e => e.Sha!).ToList();
            return await FromCommitsAsync(draft.SessionId, shas, includeStored: existing is not null, cancellationToken);
        }

        public async Task<string?> FromCommitsAsync(string sessionId, IReadOnlyList<string> newShas, bool includeStored, CancellationToken cancellationToken)
        {
            var shas = includeStored ? [.. newShas, .. await store.ListCommitShasAsync(sessionId, cancellationToken)] : newShas;
            if (shas.Count == 0)
            {
                return null;
            }

            var repos = await store.FindRepositoriesWithCommitsAsync(shas, cancellationToken);
            if (repos.Count == 1)
            {
                SessionLog.RepositoryResolved(logger, sessionId, repos[0], "commit");
                return repos[0];
            }

            return null;
        }
    }
}
