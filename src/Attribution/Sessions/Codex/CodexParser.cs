using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Attribution.Common;
using Attribution.Store;

namespace Attribution.Sessions.Codex;

/// <summary>
/// Reads Codex CLI rollouts: <c>{timestamp, type, payload}</c> records starting with <c>session_meta</c>.
/// Shell calls (<c>shell</c>, <c>exec_command</c>, <c>shell_command</c>, <c>local_shell_call</c>) and
/// <c>apply_patch</c> become events keyed by their call id; tokens come from the last cumulative
/// <c>token_count</c> (a running total, so it is never summed). A command still running at its first yield waits
/// for its end (<c>exec_command_end</c>, or a <c>write_stdin</c> poll that says it exited), gathering the polls'
/// output; Codex Desktop "code mode" scripts (<c>custom_tool_call</c> <c>exec</c>) are read with
/// <see cref="CodexScript"/>; a forked sub-agent's replay of its parent's history is skipped (see
/// docs/sessions-codex.md).
/// </summary>
public sealed partial class CodexParser(RepoPaths paths, string? sessionId = null, string? cwd = null, string? model = null)
    : TranscriptParser(paths)
{
    /// <summary>The message id under which a Codex session's cumulative usage is stored.</summary>
    public const string TotalMessageId = "codex:total";

    /// <summary>
    /// The message id under which a forked sub-agent's inherited usage is stored: its cumulative total starts from
    /// its parent's at the fork, which <see cref="SessionIngestor.Totals"/> takes off.
    /// </summary>
    public const string ForkBaseMessageId = "codex:fork-base";

    private const string SpawnedMarker = "You are the newly spawned agent";
    private const string RunningMarker = "Process running with session ID ";

    private string? _sessionId = sessionId;
    private string? _cwd = cwd;
    private string? _model = model;

    // The parent a forked sub-agent's session_meta names, and how many fork markers end the replay being skipped
    // (a replayed parent that was itself forked brings its own marker).
    private string? _forkedFrom;
    private int _replayDepth;
    private (long Input, long Cached, long Output)? _replayTotal;
    private DateTimeOffset? _forkTs;

    // A replay is written at once when the sub-agent starts; records stamped later than this are its own.
    private static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(1);

    // Commands still running: by the process (unified exec session) id their first output named, and the
    // write_stdin polls that read them.
    private readonly Dictionary<string, string> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _polls = new(StringComparer.Ordinal);

    // Code-mode calls: the pending calls each script's output completes.
    private readonly Dictionary<string, List<string>> _scripts = new(StringComparer.Ordinal);

    public override string Agent => SessionAgents.Codex;

    [GeneratedRegex(@"(?:^|\n)(?:Exit code:|Process exited with code)\s*(?<code>-?\d+)", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex ExitCode();

    protected override void Parse(JsonElement root, LineContext line, TranscriptBatch batch)
    {
        var type = root.Str("type");
        var payload = root.Obj("payload");
        var rawTs = root.Ts("timestamp");
        var ts = TimestampOf(rawTs);
        if (_replayDepth > 0)
        {
            if (rawTs is null || _forkTs is null || rawTs.Value - _forkTs.Value <= ReplayWindow)
            {
                Replay(type, payload, batch);
                return;
            }

            // No marker: a record written well after the fork is the sub-agent's own.
            EndReplay(batch);
        }

        if (type == "session_meta" && payload is { } meta)
        {
            var metaId = meta.Str("id");
            if (_sessionId is not null && _forkedFrom is not null && metaId == _forkedFrom)
            {
                // A forked sub-agent: its parent's history follows, up to the fork. It is the parent's (and in the
                // parent's own rollout, with its real times): neither credited to the sub-agent nor copied again.
                _replayDepth = ForkParent(meta) is null ? 1 : 2;
                _replayTotal = null;
                return;
            }

            if (metaId is not null && metaId != _sessionId)
            {
                _forkedFrom = ForkParent(meta);
                _forkTs = meta.Ts("timestamp") ?? rawTs;
            }

            _sessionId = metaId ?? _sessionId;

            _cwd = meta.Str("cwd") ?? _cwd;
            if (_sessionId is null)
            {
                return;
            }

            var draft = batch.Session(_sessionId, Agent);
            draft.Cwd = _cwd;
            draft.ParentSessionId ??= Parent(meta);
            if (meta.Obj("git") is { } git && git.Str("branch") is { Length: > 0 } branch)
            {
                draft.GitBranch = branch;
            }

            if (meta.Ts("timestamp") is { } started)
            {
                draft.SeeTimestamp(started);
            }
        }

        if (_sessionId is null || payload is not { } body)
        {
            return;
        }

        var session = batch.Session(_sessionId, Agent);
        session.Cwd ??= _cwd;
        if (rawTs is not null)
        {
            session.SeeTimestamp(rawTs.Value);
        }

        switch (type)
        {
            case "turn_context":
                _model = body.Str("model") ?? _model;
                if (_model is not null)
                {
                    // Keeps the model known before (or without) any token count.
                    session.AddMessage(new SessionMessage(session.SessionId, TotalMessageId, _model, ts, 0, 0, 0, 0));
                }

                if (body.Str("cwd") is { Length: > 0 } turnCwd)
                {
                    _cwd = turnCwd;
                    session.Cwd = turnCwd;
                }

                break;
            case "response_item":
                ParseItem(body, ts, line, batch);
                break;
            case "event_msg":
                ParseEvent(body, ts, batch, session);
                break;
            default:
                break;
        }
    }

    /// <summary>The parent a session_meta says this session was forked from, if any.</summary>
    private static string? ForkParent(JsonElement meta) =>
        meta.Str("forked_from_id")
        ?? (meta.Obj("source") is { } source && source.Obj("subagent") is { } subagent && subagent.Obj("thread_spawn") is { } spawn
            ? spawn.Str("parent_thread_id")
            : null);

    /// <summary>
    /// The session a sub-agent's session_meta names as its parent: the one it was forked or spawned from, or, for a
    /// review sub-agent (<c>source.subagent: "review"</c>), the <c>parent_thread_id</c> it reports to.
    /// </summary>
    private static string? Parent(JsonElement meta) => ForkParent(meta) ?? meta.Str("parent_thread_id");

    /// <summary>
    /// A record of a replayed parent history: only its usage total is kept (the sub-agent's own total starts from
    /// it), and the output telling the sub-agent it was spawned ends the replay.
    /// </summary>
    private void Replay(string? type, JsonElement? payload, TranscriptBatch batch)
    {
        if (payload is not { } body)
        {
            return;
        }

        if (type == "session_meta")
        {
            if (ForkParent(body) is not null)
            {
                _replayDepth++;
            }

            return;
        }

        if (type == "event_msg" && body.Str("type") == "token_count" && body.Obj("info") is { } info && info.Obj("total_token_usage") is { } total)
        {
            _replayTotal = (total.Long("input_tokens"), total.Long("cached_input_tokens"), total.Long("output_tokens"));
            return;
        }

        if (type == "response_item" && body.Str("type") == "function_call_output"
            && body.Str("output") is { } output && output.StartsWith(SpawnedMarker, StringComparison.Ordinal) && --_replayDepth == 0)
        {
            EndReplay(batch);
        }
    }

    /// <summary>The sub-agent's own records follow: keep the usage it inherited, to take off its total.</summary>
    private void EndReplay(TranscriptBatch batch)
    {
        _replayDepth = 0;
        if (_replayTotal is { } inherited && _sessionId is not null)
        {
            var cached = Math.Min(inherited.Cached, inherited.Input);
            batch.Session(_sessionId, Agent).AddMessage(new SessionMessage(
                _sessionId, ForkBaseMessageId, null, null, inherited.Input - cached, inherited.Output, 0, cached));
        }
    }

    private void ParseItem(JsonElement item, DateTimeOffset ts, LineContext line, TranscriptBatch batch)
    {
        var callId = item.Str("call_id") ?? $"L{line.LineNumber}";
        switch (item.Str("type"))
        {
            case "function_call":
                var name = item.Str("name") ?? "";
                if (name == "write_stdin")
                {
                    TrackPoll(ParseArguments(item.Get("arguments")), callId);
                    break;
                }

                ParseCall(name, ParseArguments(item.Get("arguments")), callId, ts, line);
                break;
            case "custom_tool_call":
                var input = item.Str("input");
                if (item.Str("name") == "apply_patch" && input is not null)
                {
                    TrackPatch(callId, "apply_patch", input, command: null, ts, line);
                }
                else if (item.Str("name") == "exec" && input is not null)
                {
                    TrackScript(callId, input, ts, line);
                }

                break;
            case "local_shell_call":
                if (item.Obj("action") is { } action)
                {
                    ParseCall("local_shell", action, callId, ts, line);
                }

                break;
            case "function_call_output":
            case "custom_tool_call_output":
                if (_polls.Remove(callId, out var polled))
                {
                    ReadPoll(batch, polled, item.Get("output"), ts);
                    break;
                }

                if (_scripts.Remove(callId, out var scriptCalls))
                {
                    var (text, failed) = ReadScriptOutput(item.Get("output"));
                    foreach (var id in scriptCalls)
                    {
                        Resolve(batch, id, text, failed, ts);
                    }

                    break;
                }

                if (!IsPending(callId))
                {
                    break;
                }

                var (output, exit) = ReadOutput(item.Get("output"));
                if (exit is null && RunningProcess(output) is { } process)
                {
                    // Still running at its first yield: the end comes in exec_command_end or a write_stdin poll.
                    _running[process] = callId;
                    AppendOutput(callId, output);
                    break;
                }

                Resolve(batch, callId, output, exit is null ? null : exit != 0, ts);
                break;
            default:
                break;
        }
    }

    private void ParseCall(string name, JsonElement? arguments, string callId, DateTimeOffset ts, LineContext line)
    {
        if (arguments is not { ValueKind: JsonValueKind.Object } args)
        {
            return;
        }

        if (name == "apply_patch")
        {
            var patch = args.Str("patch") ?? args.Str("input");
            if (patch is not null)
            {
                TrackPatch(callId, name, patch, command: null, ts, line);
            }

            return;
        }

        if (name is not ("shell" or "shell_command" or "exec_command" or "container.exec" or "local_shell"))
        {
            return;
        }

        var command = CommandText(args.Get("command")) ?? CommandText(args.Get("cmd"));
        if (string.IsNullOrWhiteSpace(command))
        {
            return;
        }

        var workdir = args.Str("workdir") ?? args.Str("working_directory");
        if (CodexPatch.Looks(command))
        {
            TrackPatch(callId, name, command, command, ts, line, workdir);
            return;
        }

        Track(new PendingCall(callId, _sessionId!, Agent, callId, ts, line, name) { Command = command });
    }

    private void TrackPatch(string callId, string tool, string patch, string? command, DateTimeOffset ts, LineContext line, string? workdir = null)
    {
        var edits = new List<SessionEventRecord>();
        var files = CodexPatch.Parse(patch);
        var baseDir = workdir ?? _cwd;
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            var edit = EditEvent(_sessionId!, $"{callId}#{i}", ts, baseDir, file.Path, file.Operation == "delete" ? null : file.AddedText, tool);
            if (edit is not null)
            {
                // Paths in a patch are relative to the working folder; map them against the session's root.
                edits.Add(edit with { Path = Paths.Relative(_cwd ?? baseDir, edit.AbsPath!) ?? edit.Path });
            }
        }

        Track(new PendingCall(callId, _sessionId!, Agent, callId, ts, line, tool) { Command = command, Edits = edits });
    }

    private void ParseEvent(JsonElement body, DateTimeOffset ts, TranscriptBatch batch, SessionDraft session)
    {
        switch (body.Str("type"))
        {
            case "token_count":
                if (body.Obj("info") is { } info && info.Obj("total_token_usage") is { } total)
                {
                    var input = total.Long("input_tokens");
                    var cached = Math.Min(total.Long("cached_input_tokens"), input);
                    session.AddMessage(new SessionMessage(
                        session.SessionId, TotalMessageId, _model, ts,
                        input - cached, total.Long("output_tokens"), 0, cached));
                }

                break;
            case "exec_command_end":
                if (body.Get("process_id") is { } processId && ProcessKey(processId) is { } key
                    && _running.TryGetValue(key, out var runningCall) && runningCall == body.Str("call_id"))
                {
                    _running.Remove(key);
                }

                if (body.Str("call_id") is { } callId)
                {
                    var output = body.Str("aggregated_output") ?? body.Str("stdout");
                    var exit = body.Get("exit_code") is { ValueKind: JsonValueKind.Number } code && code.TryGetInt32(out var value) ? value : (int?)null;
                    Resolve(batch, callId, output, exit is null ? null : exit != 0, ts);
                }

                break;
            default:
                break;
        }
    }

    /// <summary>A <c>write_stdin</c> call polling a running command: its output belongs to that command.</summary>
    private void TrackPoll(JsonElement? arguments, string pollId)
    {
        if (arguments is { ValueKind: JsonValueKind.Object } args && args.Get("session_id") is { } session
            && ProcessKey(session) is { } key && _running.TryGetValue(key, out var callId) && IsPending(callId))
        {
            _polls[pollId] = callId;
        }
    }

    private void ReadPoll(TranscriptBatch batch, string callId, JsonElement? rawOutput, DateTimeOffset ts)
    {
        if (!IsPending(callId))
        {
            return;
        }

        var (output, exit) = ReadOutput(rawOutput);
        AppendOutput(callId, PollBody(output));
        if (exit is not null)
        {
            foreach (var (key, value) in _running.Where(p => p.Value == callId).ToList())
            {
                _running.Remove(key);
            }

            Resolve(batch, callId, PartialOutput(callId), exit is null ? null : exit != 0, ts);
        }
    }

    /// <summary>The text a poll read, without the header (command, chunk id, wall time) every poll repeats.</summary>
    private static string? PollBody(string? output)
    {
        if (output is null)
        {
            return null;
        }

        var at = output.IndexOf("\nOutput:\n", StringComparison.Ordinal);
        return at < 0 ? output : output[(at + "\nOutput:\n".Length)..];
    }

    /// <summary>The process id in a first output that says the command is still running ("Process running with session ID 123").</summary>
    private static string? RunningProcess(string? output)
    {
        if (output is null)
        {
            return null;
        }

        var head = output.Length > 4096 ? output.AsSpan(0, 4096) : output.AsSpan();
        var at = head.IndexOf(RunningMarker, StringComparison.Ordinal);
        if (at < 0 || (at > 0 && head[at - 1] != '\n'))
        {
            return null;
        }

        var digits = head[(at + RunningMarker.Length)..];
        var length = 0;
        while (length < digits.Length && length < 20 && char.IsAsciiDigit(digits[length]))
        {
            length++;
        }

        return length == 0 ? null : digits[..length].ToString();
    }

    private static string? ProcessKey(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.String => value.GetString(),
        _ => null,
    };

    /// <summary>A code-mode script: each command it runs and each patch it applies waits for the script's output.</summary>
    private void TrackScript(string callId, string script, DateTimeOffset ts, LineContext line)
    {
        var calls = CodexScript.Read(script);
        if (calls.Commands.Count == 0 && calls.Patches.Count == 0)
        {
            return;
        }

        var ids = new List<string>();
        for (var i = 0; i < calls.Commands.Count; i++)
        {
            var id = $"{callId}#x{i}";
            var command = calls.Commands[i];
            if (CodexPatch.Looks(command.Command))
            {
                TrackPatch(id, "exec", command.Command, command.Command, ts, line, command.Workdir);
            }
            else
            {
                Track(new PendingCall(id, _sessionId!, Agent, id, ts, line, "exec") { Command = command.Command });
            }

            ids.Add(id);
        }

        for (var i = 0; i < calls.Patches.Count; i++)
        {
            var id = $"{callId}#p{i}";
            TrackPatch(id, "exec", calls.Patches[i], command: null, ts, line);
            ids.Add(id);
        }

        _scripts[callId] = ids;
    }

    /// <summary>
    /// A code-mode script's output: a status part (<c>Script completed</c> / <c>Script failed</c>, wall time) and
    /// what the script printed. A printed command result (<c>JSON.stringify(r)</c> of <c>tools.exec_command</c>:
    /// <c>{"exit_code": 0, "output": "..."}</c>) is unwrapped, so the command's own lines (a commit's
    /// <c>[branch sha] subject</c>) start lines again; a non-zero exit code in it counts as a failure.
    /// </summary>
    private static (string? Text, bool? Failed) ReadScriptOutput(JsonElement? output)
    {
        var parts = output is { ValueKind: JsonValueKind.Array } array
            ? [.. array.EnumerateArray().Select(p => p.ValueKind == JsonValueKind.String ? p.GetString() : p.Str("text")).Where(p => p is not null).Select(p => p!)]
            : Json.Text(output) is { } single ? new List<string> { single } : [];
        if (parts.Count == 0)
        {
            return (null, null);
        }

        bool? failed = parts[0].StartsWith("Script failed", StringComparison.Ordinal) ? true
            : parts[0].StartsWith("Script completed", StringComparison.Ordinal) ? false : null;
        var text = new System.Text.StringBuilder();
        foreach (var part in parts)
        {
            var (inner, exit) = UnwrapResult(part);
            if (exit is not null && exit != 0)
            {
                failed = true;
            }

            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(inner);
            if (text.Length >= MaxParsedOutput)
            {
                break;
            }
        }

        return (text.ToString(), failed);
    }

    /// <summary>The <c>output</c> and exit code of a printed command result object; the text itself otherwise.</summary>
    private static (string Text, int? ExitCode) UnwrapResult(string text)
    {
        if (text.Length < 2 || text[0] != '{')
        {
            return (text, null);
        }

        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.Str("output") is not { } inner)
            {
                return (text, null);
            }

            var code = root.Get("exit_code") ?? root.Obj("metadata")?.Get("exit_code");
            return (inner, code is { ValueKind: JsonValueKind.Number } c && c.TryGetInt32(out var value) ? value : null);
        }
        catch (JsonException)
        {
            return (text, null);
        }
    }

    private static JsonElement? ParseArguments(JsonElement? arguments)
    {
        if (arguments is { ValueKind: JsonValueKind.String } text)
        {
            try
            {
                using var document = JsonDocument.Parse(text.GetString()!);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return arguments;
    }

    private static string? CommandText(JsonElement? command)
    {
        switch (command)
        {
            case { ValueKind: JsonValueKind.String } s:
                return s.GetString();
            case { ValueKind: JsonValueKind.Array } array:
                var parts = array.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.String).Select(p => p.GetString()!).ToList();

                // ["bash", "-lc", "<script>"]: the script is the command.
                if (parts.Count == 3 && parts[1] is "-lc" or "-c")
                {
                    return parts[2];
                }

                return string.Join(' ', parts);
            default:
                return null;
        }
    }

    private static (string? Output, int? ExitCode) ReadOutput(JsonElement? output)
    {
        string? text = null;
        int? exit = null;
        if (output is { ValueKind: JsonValueKind.String } s)
        {
            text = s.GetString();
            if (text is { Length: > 1 } && text[0] == '{')
            {
                try
                {
                    using var document = JsonDocument.Parse(text);
                    var root = document.RootElement;
                    if (root.ValueKind == JsonValueKind.Object && root.Str("output") is { } inner)
                    {
                        exit = root.Obj("metadata") is { } metadata && metadata.Get("exit_code") is { ValueKind: JsonValueKind.Number } code && code.TryGetInt32(out var value) ? value : null;
                        text = inner;
                    }
                }
                catch (JsonException)
                {
                    // Plain output that happens to start with a brace.
                }
            }
        }
        else
        {
            text = Json.Text(output);
        }

        if (exit is null && text is not null)
        {
            var m = ExitCode().Match(text.Length > 4096 ? text[..4096] : text);
            if (m.Success && int.TryParse(m.Groups["code"].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code))
            {
                exit = code;
            }
        }

        return (text, exit);
    }
}
