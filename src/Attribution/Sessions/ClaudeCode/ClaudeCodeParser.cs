using System.Globalization;
using System.Text;
using System.Text.Json;
using Attribution.Common;
using Attribution.Store;

namespace Attribution.Sessions.ClaudeCode;

/// <summary>
/// Reads Claude Code transcripts: <c>user</c>/<c>assistant</c> records with <c>sessionId</c>, <c>uuid</c> and
/// <c>message</c>; sub-agent (<c>isSidechain</c>) records carry their parent's <c>sessionId</c> and count toward it.
/// Usage is taken once per <c>message.id</c>. A <c>summary</c> record (it names no session) gives the transcript's
/// session its title: the session read last, else the next one. Other record types only move the session's start
/// and end.
/// </summary>
public sealed class ClaudeCodeParser(RepoPaths paths) : TranscriptParser(paths)
{
    private string? _lastSessionId;
    private string? _lastModel;
    private string? _pendingTitle;

    /// <summary>Titles longer than this are cut.</summary>
    public const int MaxTitle = 500;

    public override string Agent => SessionAgents.ClaudeCode;

    protected override void Parse(JsonElement root, LineContext line, TranscriptBatch batch)
    {
        if (root.Get("type") is { ValueKind: JsonValueKind.String } summaryType && summaryType.ValueEquals("summary")
            && root.Get("sessionId") is null)
        {
            ParseSummary(root, batch);
            return;
        }

        var sessionId = _lastSessionId = root.StrCached("sessionId", _lastSessionId);
        if (string.IsNullOrEmpty(sessionId))
        {
            return;
        }

        var type = root.Get("type") is { ValueKind: JsonValueKind.String } t
            ? t.ValueEquals("assistant") ? "assistant" : t.ValueEquals("user") ? "user" : t.ValueEquals("pr-link") ? "pr-link"
                : t.ValueEquals("bridge-session") ? "bridge-session" : null
            : null;
        var rawTs = root.Ts("timestamp");
        var ts = TimestampOf(rawTs);
        var draft = Draft(batch, sessionId);
        if (rawTs is not null)
        {
            draft.SeeTimestamp(rawTs.Value);
        }

        var cwd = root.StrCached("cwd", draft.Cwd);
        if (!string.IsNullOrEmpty(cwd))
        {
            draft.Cwd = cwd;
        }

        var branch = root.StrCached("gitBranch", draft.GitBranch);
        if (!string.IsNullOrEmpty(branch) && branch != "HEAD")
        {
            draft.GitBranch = branch;
        }

        switch (type)
        {
            case "assistant":
                ParseAssistant(root, sessionId, ts, draft, line);
                break;
            case "bridge-session":
                // A remote session (claude.ai/code): its commits name it "Claude-Session: …/session_<id>" by this id.
                if (draft.RemoteId is null && root.Str("bridgeSessionId") is { Length: > 4 } bridge && bridge.StartsWith("cse_", StringComparison.Ordinal))
                {
                    draft.RemoteId = bridge["cse_".Length..];
                }

                break;
            case "user":
                ParseUser(root, ts, batch);
                break;
            case "pr-link":
                ParsePrLink(root, RecordKey(root, line), ts, draft);
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// Records other than <c>assistant</c>, <c>pr-link</c>, <c>summary</c> and <c>bridge-session</c> whose tool results
    /// (if any) answer no waiting call — results of untracked tools (Read, Grep, ...) and progress records, about 40 %
    /// of a transcript's bytes — only move the session's times, cwd and branch: those fields are read with a
    /// forward-only reader (the whole line is still validated) instead of building a document. Anything unusual (a
    /// repeated field, a waiting call's result, JSON the reader rejects) is left to the full parse.
    /// </summary>
    protected override bool TryParseLight(ReadOnlySpan<byte> utf8, TranscriptBatch batch)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
        string? sessionId = null, cwd = null, branch = null;
        DateTimeOffset? rawTs = null;
        var seen = LightField.None;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = reader.ValueTextEquals("sessionId"u8) ? LightField.SessionId
                    : reader.ValueTextEquals("type"u8) ? LightField.Type
                    : reader.ValueTextEquals("timestamp"u8) ? LightField.Timestamp
                    : reader.ValueTextEquals("cwd"u8) ? LightField.Cwd
                    : reader.ValueTextEquals("gitBranch"u8) ? LightField.GitBranch
                    : reader.ValueTextEquals("message"u8) ? LightField.Message
                    : LightField.None;
                if (field != LightField.None && (seen & field) != 0)
                {
                    return false; // which of two equal names counts is the document's business
                }

                seen |= field;
                reader.Read();
                var isString = reader.TokenType == JsonTokenType.String;
                switch (field)
                {
                    case LightField.SessionId when isString:
                        sessionId = _lastSessionId is not null && reader.ValueTextEquals(_lastSessionId) ? _lastSessionId : reader.GetString();
                        break;
                    case LightField.Type when isString:
                        if (reader.ValueTextEquals("assistant"u8) || reader.ValueTextEquals("pr-link"u8) || reader.ValueTextEquals("summary"u8) || reader.ValueTextEquals("bridge-session"u8))
                        {
                            return false;
                        }

                        break;
                    case LightField.Timestamp when isString:
                        rawTs = reader.TryGetDateTimeOffset(out var fast)
                            ? fast.ToUniversalTime()
                            : DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
                                ? parsed
                                : null;
                        break;
                    case LightField.Cwd when isString:
                        cwd = reader.GetString();
                        break;
                    case LightField.GitBranch when isString:
                        branch = reader.GetString();
                        break;
                    case LightField.Message when reader.TokenType == JsonTokenType.StartObject:
                        if (!MessageAnswersNoWaitingCall(ref reader))
                        {
                            return false;
                        }

                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (reader.Read())
            {
                return false; // content after the record: the full parse reports it
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Malformed JSON, or a string that is not valid UTF-8 (GetString): the full parse reports it.
            return false;
        }

        // What Parse does for a record of any other type (and for a user record whose results wait for nothing).
        _lastSessionId = sessionId;
        if (string.IsNullOrEmpty(sessionId))
        {
            return true;
        }

        TimestampOf(rawTs);
        var draft = Draft(batch, sessionId);
        if (rawTs is not null)
        {
            draft.SeeTimestamp(rawTs.Value);
        }

        if (!string.IsNullOrEmpty(cwd))
        {
            draft.Cwd = cwd;
        }

        if (!string.IsNullOrEmpty(branch) && branch != "HEAD")
        {
            draft.GitBranch = branch;
        }

        return true;
    }

    /// <summary>
    /// Reads a <c>message</c> object; false when its content holds the result of a call still waiting, when it is an
    /// assistant's message (the full parse reads those), or when it reads ambiguously.
    /// </summary>
    private bool MessageAnswersNoWaitingCall(ref Utf8JsonReader reader)
    {
        var contentSeen = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("role"u8))
            {
                // Assistant records write their type after the message: stop here rather than read it twice.
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("assistant"u8))
                {
                    return false;
                }

                reader.Skip();
                continue;
            }

            if (!reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            if (contentSeen)
            {
                return false;
            }

            contentSeen = true;
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                bool typeSeen = false, idSeen = false, isResult = false;
                string? toolId = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("type"u8))
                    {
                        if (typeSeen)
                        {
                            return false;
                        }

                        typeSeen = true;
                        reader.Read();
                        isResult = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("tool_result"u8);
                        reader.Skip();
                    }
                    else if (reader.ValueTextEquals("tool_use_id"u8))
                    {
                        if (idSeen)
                        {
                            return false;
                        }

                        idSeen = true;
                        reader.Read();
                        toolId = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                        reader.Skip();
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }

                if (isResult && !string.IsNullOrEmpty(toolId) && IsPending(toolId))
                {
                    return false;
                }
            }
        }

        return true;
    }

    [Flags]
    private enum LightField
    {
        None = 0,
        SessionId = 1,
        Type = 2,
        Timestamp = 4,
        Cwd = 8,
        GitBranch = 16,
        Message = 32,
    }

    /// <summary>A session's draft, given the title a <c>summary</c> read before any session record holds for it.</summary>
    private SessionDraft Draft(TranscriptBatch batch, string sessionId)
    {
        var draft = batch.Session(sessionId, Agent);
        if (_pendingTitle is not null)
        {
            draft.Title = _pendingTitle;
            _pendingTitle = null;
        }

        return draft;
    }

    /// <summary>
    /// <c>{"type":"summary","summary":"...","leafUuid":"..."}</c>: the title Claude Code gives the conversation. It
    /// names no session; a transcript file holds one session (its sub-agents' records carry the same id), so the
    /// title is that session's: the one read last, or the next one when the summary heads the file. The latest
    /// summary read wins within a read; the store keeps the first title a session was given.
    /// </summary>
    private void ParseSummary(JsonElement root, TranscriptBatch batch)
    {
        if (root.Str("summary") is not { } summary || string.IsNullOrWhiteSpace(summary))
        {
            return;
        }

        var title = Json.Cap(summary.Trim(), MaxTitle)!;
        if (_lastSessionId is { Length: > 0 } known)
        {
            batch.Session(known, Agent).Title = title;
        }
        else
        {
            _pendingTitle = title;
        }
    }

    private static string RecordKey(JsonElement root, LineContext line) => root.Str("uuid") ?? $"L{line.LineNumber}";

    private void ParseAssistant(JsonElement root, string sessionId, DateTimeOffset ts, SessionDraft draft, LineContext line)
    {
        if (root.Obj("message") is not { } message)
        {
            return;
        }

        var model = message.StrCached("model", _lastModel);
        _lastModel = model ?? _lastModel;
        if (message.Str("id") is { Length: > 0 } messageId && message.Obj("usage") is { } usage)
        {
            draft.AddMessage(new SessionMessage(
                sessionId, messageId, model, ts,
                usage.Long("input_tokens"), usage.Long("output_tokens"),
                usage.Long("cache_creation_input_tokens"), usage.Long("cache_read_input_tokens")));
        }

        if (message.Arr("content") is not { } content)
        {
            return;
        }

        var index = -1;
        string? uuid = null;
        foreach (var block in content.EnumerateArray())
        {
            index++;
            if (block.Get("type") is not { ValueKind: JsonValueKind.String } blockType || !blockType.ValueEquals("tool_use")
                || block.Str("id") is not { Length: > 0 } toolId || block.Obj("input") is not { } input)
            {
                continue;
            }

            uuid ??= RecordKey(root, line);
            var key = $"{uuid}#{index}";

            var name = block.Str("name") ?? "";
            var call = new PendingCall(toolId, sessionId, Agent, key, ts, line, name);
            switch (name)
            {
                case "Bash":
                    if (input.Str("command") is { Length: > 0 } command)
                    {
                        Track(call with { Command = command });
                    }

                    break;
                case "Edit":
                    AddEdit(call, draft.Cwd, input.Str("file_path"), input.Str("new_string"));
                    break;
                case "Write":
                    AddEdit(call, draft.Cwd, input.Str("file_path"), input.Str("content"));
                    break;
                case "NotebookEdit":
                    AddEdit(call, draft.Cwd, input.Str("notebook_path"), input.Str("new_source"));
                    break;
                case "MultiEdit":
                    AddEdit(call, draft.Cwd, input.Str("file_path"), JoinEdits(input));
                    break;
                default:
                    break;
            }
        }
    }

    private void AddEdit(PendingCall call, string? cwd, string? path, string? added)
    {
        if (EditEvent(call.SessionId, call.Key, call.Ts, cwd, path, added, call.ToolName) is { } edit)
        {
            Track(call with { Edits = [edit] });
        }
    }

    private static string? JoinEdits(JsonElement input)
    {
        if (input.Arr("edits") is not { } edits)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var edit in edits.EnumerateArray())
        {
            if (edit.Str("new_string") is { } added)
            {
                if (text.Length > 0)
                {
                    text.Append('\n');
                }

                text.Append(added);
            }

            if (text.Length > MaxAddedText)
            {
                break;
            }
        }

        return text.ToString();
    }

    private void ParseUser(JsonElement root, DateTimeOffset ts, TranscriptBatch batch)
    {
        if (root.Obj("message") is not { } message || message.Arr("content") is not { } content)
        {
            return;
        }

        foreach (var block in content.EnumerateArray())
        {
            if (block.Get("type") is { ValueKind: JsonValueKind.String } blockType && blockType.ValueEquals("tool_result")
                && block.Str("tool_use_id") is { Length: > 0 } toolId && IsPending(toolId))
            {
                Resolve(batch, toolId, Json.Text(block.Get("content")), block.Bool("is_error") ?? false, ts);
            }
        }
    }

    private static void ParsePrLink(JsonElement root, string uuid, DateTimeOffset ts, SessionDraft draft)
    {
        var url = root.Str("prUrl") ?? root.Str("url");
        if (string.IsNullOrEmpty(url))
        {
            return;
        }

        var fact = GitOutputParser.PrFromUrl(url);
        var number = root.Long("prNumber");
        draft.Events.Add(new SessionEventRecord
        {
            SessionId = draft.SessionId,
            RecordKey = uuid,
            Kind = SessionEventKinds.PullRequest,
            Ts = ts,
            Url = fact?.Url ?? url,
            PrNumber = number > 0 && number <= int.MaxValue ? (int)number : fact?.PrNumber,
            ToolName = "pr-link",
        });
    }
}
