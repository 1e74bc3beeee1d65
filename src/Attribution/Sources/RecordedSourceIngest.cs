using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Attribution.Git;
using Attribution.Sessions;
using Attribution.Store;
using Attribution.Common;

namespace Attribution.Sources;

/// <summary>What one read of a clone's source-tool refs found.</summary>
public sealed record RecordedIngestResult(int Checkpoints, int Notes, int Sessions, IReadOnlyList<string> Warnings);

/// <summary>
/// Part of <c>ingest git</c>: reads what source tools recorded in the clone (docs/sources.md). Entire checkpoints
/// give sessions (transcripts read with the product's readers, metadata alone otherwise) and the checkpoint's
/// sessions per checkpoint id; git-ai notes give the sessions behind a commit and its AI-written lines. Incremental:
/// a checkpoint folder or note blob read before is not read again. When the clone has neither ref, this is two
/// ref lookups. Bad input (missing blobs, unknown metadata versions, notes that do not parse, transcripts in a
/// format no reader knows) is one warning each; the rest is read.
/// </summary>
public sealed partial class RecordedSourceIngest(
    SessionIngestor sessions,
    RecordedStore recorded,
    CursorStore cursors,
    CommitStore commits,
    ILogger<RecordedSourceIngest> logger)
{
    public const string CursorSource = "recorded";

    private static readonly HashSet<string> KnownCheckpointVersions = new(StringComparer.Ordinal) { "branch-v1", "v1", "1" };

    public async Task<RecordedIngestResult> IngestAsync(string slug, string clonePath, CancellationToken cancellationToken)
    {
        var refs = RecordedRefsReader.Find(clonePath);
        var cursorText = await cursors.GetAsync(CursorSource, slug, cancellationToken);
        if (!refs.Any && cursorText is null)
        {
            return new RecordedIngestResult(0, 0, 0, []);
        }

        var cursor = (cursorText is null ? null : JsonSerializer.Deserialize<Cursor>(cursorText)) ?? new Cursor();
        if (cursor.CheckpointTip == refs.CheckpointTip && cursor.NotesTip == refs.NotesTip)
        {
            return new RecordedIngestResult(0, 0, 0, []);
        }

        var warnings = new List<string>();
        var run = new Run(slug, warnings);
        var checkpoints = 0;
        if (refs.CheckpointTip is not null && refs.CheckpointTip != cursor.CheckpointTip)
        {
            var found = RecordedRefsReader.Checkpoints(clonePath, refs.CheckpointTip, cursor.Checkpoints).ToList();
            var transcripts = await ImportTranscriptsAsync(run, clonePath, found, cancellationToken);
            var rows = new List<RecordedSession>();
            foreach (var checkpoint in found)
            {
                cancellationToken.ThrowIfCancellationRequested();
                rows.AddRange(ReadCheckpoint(run, checkpoint, transcripts));
                cursor.Checkpoints[checkpoint.Id] = checkpoint.TreeSha;
                checkpoints++;
            }

            // One transaction for every checkpoint read (the cursor is saved after it: a run cut short reads them again).
            await recorded.ReplaceAsync(slug, [.. found.Select(c => (RecordedStore.Entire, c.Id))], rows, [], cancellationToken);
        }

        var notes = 0;
        if (refs.NotesTip is not null && refs.NotesTip != cursor.NotesTip)
        {
            var lines = new List<CommitAiLines>();
            var records = new List<(string, string)>();
            var rows = new List<RecordedSession>();
            foreach (var note in RecordedRefsReader.Notes(clonePath, cursor.Notes))
            {
                cancellationToken.ThrowIfCancellationRequested();
                notes++;
                cursor.Notes[note.CommitSha] = note.NoteSha;
                await ReadNoteAsync(run, note, records, rows, lines, cancellationToken);
            }

            await recorded.ReplaceAsync(slug, records, rows, lines, cancellationToken);
        }

        await sessions.SaveRecordedSessionsAsync(run.MetadataOnly.Values.Where(d => !run.FromTranscript.Contains(d.SessionId)).ToList(), slug, cancellationToken);
        cursor.CheckpointTip = refs.CheckpointTip;
        cursor.NotesTip = refs.NotesTip;
        await cursors.SetAsync(CursorSource, slug, JsonSerializer.Serialize(cursor), cancellationToken);
        foreach (var warning in warnings)
        {
            LogWarning(logger, slug, warning);
        }

        LogRead(logger, slug, checkpoints, notes, run.Sessions.Count, warnings.Count);
        return new RecordedIngestResult(checkpoints, notes, run.Sessions.Count, warnings);
    }

    /// <summary>
    /// Reads one transcript per session: Entire stores a session's transcript again at every checkpoint it reaches, each
    /// copy the whole file so far (transcripts are append-only), so the largest copy holds every other. When its blob
    /// is missing, the next largest is read. Slots whose metadata names no session are read each on its own.
    /// Blobs are read and parsed on another thread while the parsed transcripts are stored here, several per
    /// transaction. Returns, per slot (checkpoint id, slot), the product's id of the session read and whether a
    /// transcript was read.
    /// </summary>
    private async Task<Dictionary<(string, string), (string? SessionId, bool Read)>> ImportTranscriptsAsync(
        Run run, string clonePath, IReadOnlyList<CheckpointRecord> checkpoints, CancellationToken cancellationToken)
    {
        var results = new Dictionary<(string, string), (string?, bool)>();
        var groups = checkpoints
            .SelectMany(c => c.Slots.Where(s => s.TranscriptParts is not null).Select(s => new Copy(c, s, SlotMeta.Of(s))))
            .GroupBy(x => x.Meta.SessionId ?? $"\0{x.Checkpoint.Id}/{x.Slot.Slot}", StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(x => x.Slot.TranscriptSize).ThenBy(x => x.Checkpoint.Id, StringComparer.Ordinal).ToList())
            .ToList();
        if (groups.Count == 0)
        {
            return results;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateBounded<TranscriptRead>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(() => ReadTranscriptsAsync(clonePath, groups, channel.Writer, stop.Token), CancellationToken.None);
        var pending = new List<TranscriptBatch>();
        var pendingIds = new HashSet<string>(StringComparer.Ordinal);
        long pendingBytes = 0;

        async Task SaveAsync()
        {
            if (pending.Count > 0)
            {
                await sessions.SaveParsedAsync(pending.ToList(), run.Slug, cancellationToken);
            }

            pending.Clear();
            pendingIds.Clear();
            pendingBytes = 0;
        }

        try
        {
            await foreach (var read in channel.Reader.ReadAllAsync(cancellationToken))
            {
                read.Warnings.ForEach(run.Warn);
                (string?, bool) outcome = (null, false);
                if (read.Copy is { } copy)
                {
                    if (!run.Imported.TryGetValue(read.Digest!, out var ids))
                    {
                        if (read.Batch is null)
                        {
                            if (IsSupportedLabel(copy.Meta.Label))
                            {
                                run.Warn($"{copy.Where}: transcript in an unknown format; the session is kept from its metadata");
                            }

                            ids = [];
                        }
                        else
                        {
                            ids = [.. read.Batch.Sessions.Keys];
                            if (ids.Exists(pendingIds.Contains))
                            {
                                await SaveAsync(); // one session twice in a transaction: the first copy is stored first
                            }

                            pending.Add(read.Batch);
                            pendingIds.UnionWith(ids);
                            pendingBytes += read.Bytes;
                            run.FromTranscript.UnionWith(ids);
                            if (pending.Count >= SessionIngestor.MaxFilesPerCommit || pendingBytes >= SessionIngestor.MaxBytesPerCommit)
                            {
                                await SaveAsync();
                            }
                        }

                        run.Imported[read.Digest!] = ids;
                    }

                    var metaSessionId = copy.Meta.SessionId;
                    outcome = ids.Count == 0 ? (null, false) : (metaSessionId is not null && ids.Contains(metaSessionId) ? metaSessionId : ids[0], true);
                }

                foreach (var (checkpoint, slot, _) in read.Copies)
                {
                    results[(checkpoint.Id, slot.Slot)] = outcome;
                }
            }

            await SaveAsync();
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await reading;
            }
            catch (OperationCanceledException)
            {
                // stopped because storing failed or the ingest was cancelled: that error is the one that counts
            }
        }

        return results;
    }

    /// <summary>
    /// The reading side of <see cref="ImportTranscriptsAsync"/>: per session, the largest copy whose blobs can be read,
    /// its digest, and its parse (null for a copy whose content was parsed before, or in no format the product reads).
    /// </summary>
    private async Task ReadTranscriptsAsync(string clonePath, List<List<Copy>> groups, ChannelWriter<TranscriptRead> writer, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            using var blobs = new TranscriptBlobs(clonePath);
            var parsed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var group in groups)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var read = new TranscriptRead(group, [], null, null, null, 0);
                foreach (var copy in group)
                {
                    var (parts, problem) = blobs.Read(copy.Slot.TranscriptParts!);
                    if (parts is null)
                    {
                        read.Warnings.Add($"{copy.Where}: transcript {problem}; {(copy.Meta.SessionId is null ? "the session is kept from its metadata" : "another checkpoint's copy is read, else the session is kept from its metadata")}");
                        continue;
                    }

                    // Each part was cut at a line boundary without its final newline.
                    var data = parts.Count == 1 ? parts[0] : Join(parts);
                    var digest = Convert.ToHexStringLower(SHA256.HashData(data));
                    var batch = parsed.Add(digest) ? await sessions.ParseTranscriptAsync(data, cancellationToken) : null;
                    read = read with { Copy = copy, Digest = digest, Batch = batch, Bytes = data.Length };
                    break;
                }

                await writer.WriteAsync(read, cancellationToken);
            }
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        finally
        {
            writer.Complete(failure);
        }
    }

    /// <summary>One stored copy of a checkpoint slot's transcript.</summary>
    private sealed record Copy(CheckpointRecord Checkpoint, CheckpointSlot Slot, SlotMeta Meta)
    {
        public string Where => $"checkpoint {Checkpoint.Id} session {Slot.Slot}";
    }

    /// <summary>What was read for one session: the copy read (null when none could be), its digest and parse, and the warnings of the copies that could not be read.</summary>
    private sealed record TranscriptRead(List<Copy> Copies, List<string> Warnings, Copy? Copy, string? Digest, TranscriptBatch? Batch, long Bytes);

    /// <summary>The sessions a checkpoint records (one row per session), its warnings told to the run.</summary>
    private static IEnumerable<RecordedSession> ReadCheckpoint(Run run, CheckpointRecord checkpoint, Dictionary<(string, string), (string? SessionId, bool Read)> transcripts)
    {
        var rows = new List<RecordedSession>();
        using (var top = ParseObject(checkpoint.Metadata))
        {
            if (top is null)
            {
                run.Warn($"checkpoint {checkpoint.Id}: metadata.json {checkpoint.MetadataProblem ?? "is not a JSON object"}");
            }
            else if (UnknownVersion(top.RootElement) is { } version)
            {
                run.Warn($"checkpoint {checkpoint.Id}: metadata of unknown version {version}; its sessions are not taken as recorded");
            }
        }

        foreach (var slot in checkpoint.Slots)
        {
            var where = $"checkpoint {checkpoint.Id} session {slot.Slot}";
            using var meta = ParseObject(slot.Metadata);
            var root = meta?.RootElement;
            string? version = root is { } r ? UnknownVersion(r) : null;
            if (meta is null)
            {
                run.Warn($"{where}: metadata.json {slot.MetadataProblem ?? "is not a JSON object"}");
            }
            else if (version is not null)
            {
                run.Warn($"{where}: metadata of unknown version {version}; not taken as recorded");
            }

            var (metaSessionId, label) = SlotMeta.Of(root);
            var model = root?.Str("model") is { Length: > 0 } m ? m : null;
            var created = root?.Str("created_at") is { } c && DateTimeOffset.TryParse(c, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var ts) ? ts : (DateTimeOffset?)null;
            var files = root is { } f && f.TryGetProperty("files_touched", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()
                : [];

            string? sessionId = null;
            var read = false;
            if (slot.TranscriptParts is not null)
            {
                (sessionId, read) = transcripts.GetValueOrDefault((checkpoint.Id, slot.Slot));
            }
            else if (meta is not null && slot.TranscriptProblem is not null && slot.TranscriptProblem != "no full.jsonl")
            {
                var fallback = metaSessionId is not null && run.FromTranscript.Contains(metaSessionId)
                    ? "the session is read from another checkpoint's copy"
                    : "the session is kept from its metadata";
                run.Warn($"{where}: transcript {slot.TranscriptProblem}; {fallback}");
            }

            sessionId ??= metaSessionId;
            if (sessionId is null || meta is null)
            {
                continue;
            }

            run.Sessions.Add(sessionId);
            if (!read)
            {
                var draft = run.MetadataOnly.TryGetValue(sessionId, out var known) ? known : run.MetadataOnly[sessionId] = new SessionDraft(sessionId, AgentName(label));
                if (created is { } at)
                {
                    draft.SeeTimestamp(at);
                }

                var usage = root!.Value.TryGetProperty("token_usage", out var u) && u.ValueKind == JsonValueKind.Object ? u : default;
                // Entire's counts are the session's totals so far: one message per session, the largest counts kept.
                draft.AddMessage(new SessionMessage(sessionId, "entire", model, created,
                    Count(usage, "input_tokens"), Count(usage, "output_tokens"), Count(usage, "cache_creation_tokens"), Count(usage, "cache_read_tokens")));
            }

            if (version is null)
            {
                var evidence = JsonSerializer.Serialize(new { checkpoint = checkpoint.Id, slot = slot.Slot, agent = label, model, transcript = read ? "read" : "metadata only" });
                rows.Add(new RecordedSession(RecordedStore.Entire, checkpoint.Id, sessionId, JsonSerializer.Serialize(files), evidence));
            }
        }

        return rows.DistinctBy(r => r.SessionId);
    }

    private async Task ReadNoteAsync(Run run, NoteRecord note, List<(string, string)> records, List<RecordedSession> rows, List<CommitAiLines> lines, CancellationToken cancellationToken)
    {
        records.Add((RecordedStore.GitAi, note.CommitSha));
        if (note.Text is null)
        {
            run.Warn($"git-ai note of {note.CommitSha}: blob {note.NoteSha} missing from the clone");
            return;
        }

        var parsed = GitAiNote.Parse(note.Text, out var error);
        if (parsed is null)
        {
            run.Warn($"git-ai note of {note.CommitSha} does not parse: {error}");
            return;
        }

        if (parsed.SchemaVersion is not null && !parsed.SchemaVersion.StartsWith("authorship/3.", StringComparison.Ordinal))
        {
            run.Warn($"git-ai note of {note.CommitSha}: schema {parsed.SchemaVersion} is not authorship/3.x; read as 3.0.0");
        }

        foreach (var s in parsed.Sessions)
        {
            var sessionId = s.AgentSessionId ?? $"git-ai:{s.Key}";
            run.Sessions.Add(sessionId);
            var draft = run.MetadataOnly.TryGetValue(sessionId, out var known) ? known : run.MetadataOnly[sessionId] = new SessionDraft(sessionId, AgentName(s.Tool));
            if (s.Model is not null)
            {
                draft.AddMessage(new SessionMessage(sessionId, "git-ai", s.Model, null, 0, 0, 0, 0));
            }

            var evidence = JsonSerializer.Serialize(new { key = s.Key, tool = s.Tool, model = s.Model, humanAuthor = s.HumanAuthor, schema = parsed.SchemaVersion });
            rows.Add(new RecordedSession(RecordedStore.GitAi, note.CommitSha, sessionId, JsonSerializer.Serialize(s.LinesByFile), evidence));
        }

        var added = await commits.AddedLinesAsync(run.Slug, note.CommitSha, cancellationToken);
        if (added is not null)
        {
            lines.Add(new CommitAiLines(note.CommitSha, RecordedStore.GitAi, Math.Min(parsed.AiLines, added.Value), added.Value));
        }
    }

    private static byte[] Join(IReadOnlyList<byte[]> parts)
    {
        var joined = new byte[parts.Sum(p => p.Length) + parts.Count - 1];
        var at = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            if (i > 0)
            {
                joined[at++] = (byte)'\n';
            }

            parts[i].CopyTo(joined, at);
            at += parts[i].Length;
        }

        return joined;
    }

    private static JsonDocument? ParseObject(byte[]? data)
    {
        if (data is null)
        {
            return null;
        }

        try
        {
            var document = JsonDocument.Parse(data);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
        }
        catch (JsonException)
        {
        }

        return null;
    }

    /// <summary>The metadata's version when it is one this reader does not know; null when known (or not stated: v1 before versions).</summary>
    private static string? UnknownVersion(JsonElement metadata)
    {
        if (!metadata.TryGetProperty("checkpoint_version", out var v))
        {
            return null;
        }

        var text = v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText();
        return text is not null && KnownCheckpointVersions.Contains(text) ? null : text ?? "(null)";
    }

    private static long Count(JsonElement usage, string name) =>
        usage.ValueKind == JsonValueKind.Object && usage.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) && n > 0 ? n : 0;

    private static bool IsSupportedLabel(string? label) => AgentName(label) is SessionAgents.ClaudeCode or SessionAgents.Codex;

    /// <summary>The product's agent name for a source tool's label ("Claude Code", "claude", "Gemini CLI", "cursor" ...).</summary>
    public static string AgentName(string? label)
    {
        var name = (label ?? "").Trim().ToLowerInvariant().Replace(' ', '-');
        return name switch
        {
            "" or "agent" => "unknown",
            "claude-code" or "claude" or "claude-code-cli" => SessionAgents.ClaudeCode,
            "codex" or "codex-cli" or "openai-codex" => SessionAgents.Codex,
            _ => name,
        };
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}-", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex DatePrefix();

    /// <summary>The session a checkpoint slot's metadata names (without Entire's date prefix) and its agent label.</summary>
    private sealed record SlotMeta(string? SessionId, string? Label)
    {
        public static SlotMeta Of(JsonElement? root) =>
            new(root?.Str("session_id") is { Length: > 0 } sid ? DatePrefix().Replace(sid, "") : null, root?.Str("agent"));

        public static SlotMeta Of(CheckpointSlot slot)
        {
            using var meta = ParseObject(slot.Metadata);
            return Of(meta?.RootElement);
        }
    }

    private sealed class Run(string slug, List<string> warnings)
    {
        public string Slug { get; } = slug;
        public Dictionary<string, List<string>> Imported { get; } = new(StringComparer.Ordinal);
        public HashSet<string> FromTranscript { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, SessionDraft> MetadataOnly { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Sessions { get; } = new(StringComparer.Ordinal);

        public void Warn(string message) => warnings.Add(message);
    }

    private sealed class Cursor
    {
        public string? CheckpointTip { get; set; }
        public string? NotesTip { get; set; }
        public Dictionary<string, string> Checkpoints { get; set; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> Notes { get; set; } = new(StringComparer.Ordinal);
    }

    [LoggerMessage(EventId = 4120, Level = LogLevel.Warning, Message = "Recorded sources of {RepoSlug}: {Warning}")]
    private static partial void LogWarning(ILogger logger, string repoSlug, string warning);

    [LoggerMessage(EventId = 4121, Level = LogLevel.Information, Message = "Recorded sources of {RepoSlug}: {Checkpoints} checkpoints, {Notes} git-ai notes, {Sessions} sessions, {Warnings} warnings")]
    private static partial void LogRead(ILogger logger, string repoSlug, int checkpoints, int notes, int sessions, int warnings);
}
