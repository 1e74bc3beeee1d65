using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Attribution.Sessions.Codex;

/// <summary>
/// Reads Codex CLI rollouts: <c>{timestamp, type, payload}</c> records starting with <c>session_meta</c>.
/// Shell calls (<c>shell</c>, <c>exec_command</c>, <c>shell_command</c>, <c>local_shell_call</c>) and
/// <c>apply_patch</c> become events keyed by their call id; tokens come from the last cumulative
/// <c>token_count</c> (a running total, so it is never summed).
/// </summary>
public sealed partial class CodexParser(RepoPaths paths, string? sessionId = null, string? cwd = null, string? model = null)
    : TranscriptParser(paths)
{
    /// <summary>The message id under which a Codex session's cumulative usage is stored.</summary>
    public const string TotalMessageId = "codex:total";

    private string? _sessionId = sessionId;
    private string? _cwd = cwd;
    private string? _model = model;

    public override string Agent => SessionAgents.Codex;

    [GeneratedRegex(@"(?:^|\n)(?:Exit code:|Process exited with code)\s*(?<code>-?\d+)", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex ExitCode();

    protected override void Parse(JsonElement root, LineContext line, TranscriptBatch batch)
    {
        var type = root.Str("type");
        var payload = root.Obj("payload");
        var rawTs = root.Ts("timestamp");
        var ts = TimestampOf(rawTs);
        if (type == "session_meta" && payload is { } meta)
        {
            _sessionId = meta.Str("id") ?? _sessionId;
            _cwd = meta.Str("cwd") ?? _cwd;
            if (_sessionId is null)
            {
                return;
            }

            var draft = batch.Session(_sessionId, Agent);
            draft.Cwd = _cwd;
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

    private void ParseItem(JsonElement item, DateTimeOffset ts, LineContext line, TranscriptBatch batch)
    {
        var callId = item.Str("call_id") ?? $"L{line.LineNumber}";
        switch (item.Str("type"))
        {
            case "function_call":
                ParseCall(item.Str("name") ?? "", ParseArguments(item.Get("arguments")), callId, ts, line);
                break;
            case "custom_tool_call":
                var input = item.Str("input");
                if (item.Str("name") == "apply_patch" && input is not null)
                {
                    TrackPatch(callId, "apply_patch", input, command: null, ts, line);
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
                if (!IsPending(callId))
                {
                    break;
                }

                var (output, exit) = ReadOutput(item.Get("output"));
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
        var edits = new List<SessionEvent>();
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
