using System.Text.Json;

namespace Attribution.Sources;

/// <summary>One AI session a git-ai note names: the agent's own session id, its tool and model, and its lines per file.</summary>
public sealed record GitAiSession(string Key, string Tool, string? AgentSessionId, string? Model, string? HumanAuthor, IReadOnlyDictionary<string, int> LinesByFile);

/// <summary>A parsed git-ai authorship log ("Git AI Standard v3.0.0", <c>refs/notes/ai</c>).</summary>
public sealed record GitAiNote(string? SchemaVersion, IReadOnlyList<GitAiSession> Sessions, IReadOnlyDictionary<string, int> AiLinesByFile)
{
    public int AiLines => AiLinesByFile.Values.Sum();

    /// <summary>
    /// Parses a note: the attestation section (a file path at the start of a line, quoted when it holds spaces, then
    /// <c>  &lt;key&gt; &lt;ranges&gt;</c> entries), a line of exactly <c>---</c>, then a JSON object whose <c>sessions</c>
    /// (keys <c>s_&lt;14 hex&gt;</c>, attested as <c>s_…::t_…</c> per trace) and legacy <c>prompts</c> (16 or 7 hex keys)
    /// say who each key is. Keys starting <c>h_</c> are human lines. Returns null with <paramref name="error"/> when the
    /// note does not follow the format.
    /// </summary>
    public static GitAiNote? Parse(string text, out string? error)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var divider = Array.IndexOf(lines, "---");
        if (divider < 0)
        {
            error = "no '---' line between the attestation and the metadata";
            return null;
        }

        if (ReadAttestation(lines.AsSpan(0, divider), out error) is not { } byKey
            || ReadMetadata(string.Join('\n', lines.Skip(divider + 1)), out error) is not { } metadata
            || Group(byKey, metadata.Records, out error) is not { } grouped)
        {
            return null;
        }

        var result = new List<GitAiSession>();
        foreach (var (key, (record, files)) in grouped.Sessions.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (record.ValueKind != JsonValueKind.Object || !record.TryGetProperty("agent_id", out var agent) || agent.ValueKind != JsonValueKind.Object)
            {
                error = $"record {key} has no agent_id";
                return null;
            }

            result.Add(new GitAiSession(
                key,
                Text(agent, "tool") ?? "unknown",
                Text(agent, "id"),
                Text(agent, "model"),
                Text(record, "human_author"),
                files.ToDictionary(p => p.Key, p => p.Value.Count, StringComparer.Ordinal)));
        }

        return new GitAiNote(metadata.Version, result, grouped.AiLines.ToDictionary(p => p.Key, p => p.Value.Count, StringComparer.Ordinal));
    }

    /// <summary>The attestation above <c>---</c>: per key, per file, the distinct lines it is attested for.</summary>
    private static Dictionary<string, Dictionary<string, HashSet<int>>>? ReadAttestation(ReadOnlySpan<string> lines, out string? error)
    {
        error = null;
        var byKey = new Dictionary<string, Dictionary<string, HashSet<int>>>(StringComparer.Ordinal);
        string? file = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("  ", StringComparison.Ordinal))
            {
                var space = line.IndexOf(' ', 2);
                if (file is null || space < 0)
                {
                    error = $"attestation line {i + 1} is not '  <key> <ranges>' under a file";
                    return null;
                }

                var key = line[2..space];
                if (!TryRanges(line[(space + 1)..].Trim(), out var numbers))
                {
                    error = $"attestation line {i + 1} has malformed line ranges";
                    return null;
                }

                if (!byKey.TryGetValue(key, out var files))
                {
                    byKey[key] = files = new(StringComparer.Ordinal);
                }

                if (!files.TryGetValue(file, out var set))
                {
                    files[file] = set = [];
                }

                set.UnionWith(numbers);
            }
            else if (line[0] is ' ' or '\t')
            {
                error = $"attestation line {i + 1} is indented by other than two spaces";
                return null;
            }
            else
            {
                file = line.Length >= 2 && line[0] == '"' && line[^1] == '"' ? line[1..^1] : line;
            }
        }

        return byKey;
    }

    /// <summary>The JSON below <c>---</c>: its schema version and its prompt and session records by key.</summary>
    private static (string? Version, Dictionary<string, JsonElement> Records)? ReadMetadata(string json, out string? error)
    {
        error = null;
        JsonElement meta;
        try
        {
            using var document = JsonDocument.Parse(json);
            meta = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            error = $"metadata is not JSON ({ex.Message})";
            return null;
        }

        if (meta.ValueKind != JsonValueKind.Object)
        {
            error = "metadata is not a JSON object";
            return null;
        }

        var version = meta.TryGetProperty("schema_version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var records = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var section in new[] { "prompts", "sessions" })
        {
            if (meta.TryGetProperty(section, out var map) && map.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in map.EnumerateObject())
                {
                    records[p.Name] = p.Value;
                }
            }
        }

        return (version, records);
    }

    /// <summary>Attested lines per session record (traces folded into their session) and per file over all sessions.</summary>
    private static (Dictionary<string, (JsonElement Record, Dictionary<string, HashSet<int>> Files)> Sessions, Dictionary<string, HashSet<int>> AiLines)? Group(
        Dictionary<string, Dictionary<string, HashSet<int>>> byKey, Dictionary<string, JsonElement> records, out string? error)
    {
        error = null;
        var sessions = new Dictionary<string, (JsonElement Record, Dictionary<string, HashSet<int>> Files)>(StringComparer.Ordinal);
        var aiLines = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        foreach (var (key, files) in byKey)
        {
            if (key.StartsWith("h_", StringComparison.Ordinal))
            {
                continue;
            }

            // A session's lines may be attested per trace: "s_<id>::t_<trace>".
            var trace = key.IndexOf("::", StringComparison.Ordinal);
            var recordKey = trace < 0 ? key : key[..trace];
            if (!records.TryGetValue(recordKey, out var record))
            {
                error = $"attested key {key} has no record in the metadata";
                return null;
            }

            if (!sessions.TryGetValue(recordKey, out var entry))
            {
                sessions[recordKey] = entry = (record, new(StringComparer.Ordinal));
            }

            foreach (var (path, set) in files)
            {
                (entry.Files.TryGetValue(path, out var mine) ? mine : entry.Files[path] = []).UnionWith(set);
                (aiLines.TryGetValue(path, out var all) ? all : aiLines[path] = []).UnionWith(set);
            }
        }

        // Records named in the metadata without attested lines still name a session of the commit.
        foreach (var (key, record) in records)
        {
            if (!sessions.ContainsKey(key))
            {
                sessions[key] = (record, new(StringComparer.Ordinal));
            }
        }

        return (sessions, aiLines);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;

    private static bool TryRanges(string text, out List<int> numbers)
    {
        numbers = [];
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var part in text.Split(','))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var single) || single < 1)
                {
                    return false;
                }

                numbers.Add(single);
                continue;
            }

            if (!int.TryParse(part.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var from)
                || !int.TryParse(part.AsSpan(dash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var to)
                || from < 1 || to < from || to - from > 1_000_000)
            {
                return false;
            }

            for (var n = from; n <= to; n++)
            {
                numbers.Add(n);
            }
        }

        return true;
    }
}
