using System.Text.Json;
using Attribution.Common;
using Attribution.Store;

namespace Attribution.Sessions;

/// <summary>Where a later read must start again: the line of the oldest tool call still waiting for its result.</summary>
public readonly record struct ResumePoint(long LineNumber, long LineStart);

/// <summary>
/// Turns transcript lines into sessions, token usage and events. One instance reads one stream in order;
/// tool calls wait for their results (to learn the output and error flag) and are emitted without them at
/// <see cref="Complete"/> when the result has not been written yet.
/// </summary>
public abstract class TranscriptParser(RepoPaths paths)
{
    public const int MaxOutputExcerpt = 2000;
    public const int MaxParsedOutput = 256 * 1024;
    public const int MaxAddedText = 64 * 1024;
    public const int MaxCommand = 8 * 1024;

    private readonly Dictionary<string, PendingCall> _pending = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastTs;

    protected RepoPaths Paths => paths;

    /// <summary>The agent this parser reads.</summary>
    public abstract string Agent { get; }

    /// <summary>At most this many records are read from one line holding several concatenated JSON objects.</summary>
    public const int MaxRecordsPerLine = 64;

    /// <summary>
    /// Parses one line; a malformed one is counted and reported in <paramref name="batch"/>. A line holding several
    /// JSON objects one after the other (a writer that lost a newline) is read as that many records.
    /// </summary>
    public void ParseLine(ReadOnlyMemory<byte> utf8, long lineNumber, long lineStart, TranscriptBatch batch)
    {
        if (utf8.Span.Trim(" \t"u8).IsEmpty)
        {
            return;
        }

        if (LightReads && TryParseLight(utf8.Span, batch))
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            if (Concatenated(utf8.Span) is { } records)
            {
                foreach (var (start, length) in records)
                {
                    ParseLine(utf8.Slice(start, length), lineNumber, lineStart, batch);
                }

                return;
            }

            batch.Skip(lineNumber, $"not valid JSON ({Truncate(ex.Message)})");
            return;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                batch.Skip(lineNumber, "not a JSON object");
                return;
            }

            try
            {
                Parse(document.RootElement, new LineContext(lineNumber, lineStart), batch);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException or ArgumentException)
            {
                batch.Skip(lineNumber, $"unexpected record shape ({Truncate(ex.Message)})");
            }
        }
    }

    /// <summary>
    /// The byte ranges of the objects when a line is two or more complete JSON objects one after the other (and
    /// nothing else but whitespace); null otherwise. One forward pass of the reader.
    /// </summary>
    private static List<(int Start, int Length)>? Concatenated(ReadOnlySpan<byte> utf8)
    {
        var records = new List<(int Start, int Length)>();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64, AllowMultipleValues = true });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.StartObject || records.Count == MaxRecordsPerLine)
                {
                    return null;
                }

                var start = (int)reader.TokenStartIndex;
                if (!reader.TrySkip())
                {
                    return null;
                }

                records.Add((start, (int)reader.BytesConsumed - start));
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return records.Count > 1 ? records : null;
    }

    /// <summary>
    /// Whether lines that need no document may be read by <see cref="TryParseLight"/> (on by default; a test turns it
    /// off to compare both ways of reading).
    /// </summary>
    public bool LightReads { get; init; } = true;

    /// <summary>
    /// Reads a line without building a document when the record needs only a few top-level fields; false when the
    /// line needs the full parse (which then also reports any malformed JSON). Must leave exactly what the full
    /// parse would leave.
    /// </summary>
    protected virtual bool TryParseLight(ReadOnlySpan<byte> utf8, TranscriptBatch batch) => false;

    /// <summary>The line of the oldest tool call still waiting for its result (where a read must start again to see it), if any.</summary>
    public ResumePoint? OldestPending()
    {
        PendingCall? oldest = null;
        foreach (var call in _pending.Values)
        {
            if (oldest is null || call.Line.LineNumber < oldest.Line.LineNumber)
            {
                oldest = call;
            }
        }

        return oldest is null ? null : new ResumePoint(oldest.Line.LineNumber, oldest.Line.LineStart);
    }

    /// <summary>Emits tool calls still waiting for results and says where to resume so they are read again.</summary>
    public ResumePoint? Complete(TranscriptBatch batch)
    {
        ResumePoint? resume = null;
        foreach (var call in _pending.Values.OrderBy(c => c.Line.LineNumber))
        {
            resume ??= new ResumePoint(call.Line.LineNumber, call.Line.LineStart);
            Emit(batch, call, call.PartialOutput, isError: null, resultTs: null);
        }

        _pending.Clear();
        return resume;
    }

    protected abstract void Parse(JsonElement root, LineContext line, TranscriptBatch batch);

    /// <summary>The record's timestamp, else the last one seen (events need a time).</summary>
    protected DateTimeOffset TimestampOf(DateTimeOffset? ts)
    {
        if (ts is not null)
        {
            _lastTs = ts;
            return ts.Value;
        }

        return _lastTs ?? DateTimeOffset.UnixEpoch;
    }

    protected void Track(PendingCall call) => _pending[call.CallId] = call;

    /// <summary>Whether a call with this id waits for its result (results of other tools are not even read).</summary>
    protected bool IsPending(string callId) => _pending.ContainsKey(callId);

    /// <summary>
    /// Adds output to a call that goes on waiting (a command still running): kept up to the parsed-output cap and
    /// emitted with the call if its end is never written.
    /// </summary>
    protected void AppendOutput(string callId, string? text)
    {
        if (string.IsNullOrEmpty(text) || !_pending.TryGetValue(callId, out var call))
        {
            return;
        }

        var known = call.PartialOutput ?? "";
        if (known.Length >= MaxParsedOutput)
        {
            return;
        }

        var room = MaxParsedOutput - known.Length;
        _pending[callId] = call with { PartialOutput = string.Concat(known, text.Length <= room ? text : text[..room]) };
    }

    /// <summary>The output gathered so far for a call still waiting, if any.</summary>
    protected string? PartialOutput(string callId) => _pending.TryGetValue(callId, out var call) ? call.PartialOutput : null;

    /// <summary>Completes a tracked call with its result; false when no call with that id is waiting.</summary>
    protected bool Resolve(TranscriptBatch batch, string callId, string? output, bool? isError, DateTimeOffset resultTs)
    {
        if (!_pending.Remove(callId, out var call))
        {
            return false;
        }

        Emit(batch, call, output, isError, resultTs);
        return true;
    }

    protected SessionEventRecord? EditEvent(string sessionId, string key, DateTimeOffset ts, string? cwd, string? path, string? added, string tool)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var absolute = RepoPaths.Absolute(cwd, path);
        return new SessionEventRecord
        {
            SessionId = sessionId,
            RecordKey = key,
            Kind = SessionEventKinds.Edit,
            Ts = ts,
            Path = Paths.Relative(cwd, absolute),
            AbsPath = absolute,
            AddedText = Json.Cap(added, MaxAddedText),
            ToolName = tool,
        };
    }

    private static void Emit(TranscriptBatch batch, PendingCall call, string? output, bool? isError, DateTimeOffset? resultTs)
    {
        var draft = batch.Session(call.SessionId, call.Agent);
        if (call.Command is null)
        {
            foreach (var edit in call.Edits)
            {
                draft.Events.Add(edit with { IsError = isError });
            }

            return;
        }

        var parsed = output is null || output.Length <= MaxParsedOutput ? output : output[..MaxParsedOutput];
        draft.Events.Add(new SessionEventRecord
        {
            SessionId = call.SessionId,
            RecordKey = call.Key,
            Kind = SessionEventKinds.Shell,
            Ts = call.Ts,
            Command = Json.Cap(call.Command, MaxCommand),
            OutputExcerpt = Json.Cap(output, MaxOutputExcerpt),
            IsError = isError,
            ToolName = call.ToolName,
        });

        foreach (var edit in call.Edits)
        {
            draft.Events.Add(edit with { IsError = isError });
        }

        var facts = GitOutputParser.Parse(call.Command, parsed, isError);
        for (var i = 0; i < facts.Count; i++)
        {
            var fact = facts[i];
            draft.Events.Add(new SessionEventRecord
            {
                SessionId = call.SessionId,
                RecordKey = $"{call.Key}/{i}",
                Kind = fact.Kind,
                Ts = resultTs ?? call.Ts,
                Sha = fact.Sha,
                Branch = fact.Branch,
                Subject = fact.Subject,
                Url = fact.Url,
                PrNumber = fact.PrNumber,
                ToolName = call.ToolName,
            });
        }
    }

    private static string Truncate(string message) => message.Length > 160 ? message[..160] : message;
}

/// <summary>Where a line sits in its stream.</summary>
public readonly record struct LineContext(long LineNumber, long LineStart);

/// <summary>A tool call waiting for its result: a shell command (with any edits a patch in it made) or edits.</summary>
public sealed record PendingCall(string CallId, string SessionId, string Agent, string Key, DateTimeOffset Ts, LineContext Line, string ToolName)
{
    public string? Command { get; init; }
    public List<SessionEventRecord> Edits { get; init; } = [];

    /// <summary>Output written so far while the call runs on (Codex commands that outlive their first yield).</summary>
    public string? PartialOutput { get; init; }
}
