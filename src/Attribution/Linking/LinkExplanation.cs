using System.Globalization;
using System.Text.Json;

namespace Attribution.Linking;

/// <summary>
/// The one renderer of a link's evidence as sentences a person reads (pure): per rule of the attribution pass
/// (<c>commit-output</c>, its rewritten and squashed forms, <c>commit-command</c>, session and signed trailers, <c>recorded</c>,
/// co-author trailer with or without a tie, touch, <c>squash-of-pr</c>) and per reason of a session↔PR link
/// (<c>commit</c>, <c>branch</c>, <c>opened</c>). Unknown or malformed evidence gives one plain sentence, never an error.
/// </summary>
public static class LinkExplanation
{
    /// <summary>Sentences for a commit↔session link of <paramref name="linkType"/> with its stored evidence.</summary>
    public static IReadOnlyList<string> ForCommitLink(string linkType, string? evidenceJson)
    {
        if (!TryParse(evidenceJson, out var root))
        {
            return [$"Linked as {linkType}; no evidence was recorded."];
        }

        var sentences = new List<string>();
        var rule = Text(root, "rule") ?? Text(root, "method") ?? linkType;
        var authored = Object(root, "authored") ?? root;
        switch (rule)
        {
            case "commit-output":
                sentences.Add(Printed(authored));
                break;
            case "commit-output-rewritten":
                sentences.Add($"The session committed {Quote(Text(authored, "printedSubject"))}{ShaPart(Text(authored, "printedSha") ?? Text(authored, "shortSha"))}; this commit is a rewritten copy of it (same author, author time and subject: a rebase, amend or cherry-pick).");
                break;
            case "commit-output-squashed":
                sentences.Add($"This squash commit lists {Quote(Text(authored, "printedSubject"))}, a commit the session printed{ShaPart(Text(authored, "shortSha"))}.");
                break;
            case LinkPass.CommitCommandRule:
                sentences.Add($"The session ran {Code(FirstLine(Text(authored, "command") ?? "git commit"))} with the message {Quote(Text(authored, "subject"))}; this commit has that subject and was written within minutes of the command (no output of the session names it).");
                break;
            case "session-trailer":
                sentences.Add($"The commit carries a trailer naming this session: {Code(Text(authored, "trailer"))}.");
                break;
            case "signed-trailer":
                sentences.Add($"The commit carries a signed attribution trailer naming this session (signature {Text(authored, "verification") ?? "checked"}).");
                break;
            case "recorded":
                sentences.AddRange(Recorded(root));
                break;
            case "squash-of-pr":
                sentences.Add(SquashOfPr(root));
                break;
            case "co-author-trailer-and-tie":
            case "co-author-trailer-activity-only":
            case "co-authored":
                sentences.AddRange(CoAuthored(Object(root, "coAuthored") ?? root, rule == "co-author-trailer-activity-only"));
                break;
            case "touch":
            case LinkPass.SameTaskRule:
            case "inferred-by-touch":
                sentences.AddRange(Touch(Object(root, "touch") ?? root));
                break;
            default:
                sentences.Add($"Linked as {linkType} by {Code(rule)}.");
                break;
        }

        // A co-author trailer the rubric also saw, or touch evidence behind a stronger link, is worth a second line.
        if (rule is not ("touch" or LinkPass.SameTaskRule or "inferred-by-touch") && Object(root, "touch") is { } touch && rule != "recorded")
        {
            sentences.AddRange(Touch(touch).Select(s => "Also: " + char.ToLowerInvariant(s[0]) + s[1..]));
        }

        return sentences;
    }

    /// <summary>Sentences for a session↔PR link (<paramref name="reason"/>: commit, branch, opened, or a stored method).</summary>
    public static IReadOnlyList<string> ForPrLink(string? reason, string? evidenceJson)
    {
        var sentences = new List<string>();
        if (TryParse(evidenceJson, out var root) && root.TryGetProperty("reasons", out var reasons) && reasons.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in reasons.EnumerateArray())
            {
                sentences.Add(PrReason(Text(r, "reason"), Object(r, "evidence")));
            }

            return sentences;
        }

        if (TryParse(evidenceJson, out var flat))
        {
            return [PrReason(reason ?? Text(flat, "method"), flat)];
        }

        return [PrReason(reason, null)];
    }

    /// <summary>What a confidence means, in one sentence (calibrated link types read as a rate of being right).</summary>
    public static string Confidence(string linkType, double confidence)
    {
        var value = confidence.ToString("0.00", CultureInfo.InvariantCulture);
        if (linkType is CommitLinker.Authored or "recorded")
        {
            return $"Confidence {value}: exact — the session or a tool recorded this commit as the session's own.";
        }

        var inTen = (int)Math.Round(confidence * 10, MidpointRounding.AwayFromZero);
        var counted = confidence >= 0.5 ? "counted in totals" : "below 0.5, so not counted in totals";
        return $"Confidence {value} (calibrated): about {inTen} in 10 links scored like this were right on labelled real histories; {counted}.";
    }

    private static string PrReason(string? reason, JsonElement? evidence) => reason switch
    {
        "commit" => evidence is { } e && e.TryGetProperty("commits", out var commits) && commits.ValueKind == JsonValueKind.Array
            ? $"The session is linked to {Count(commits.GetArrayLength(), "of the PR's commits", "of the PR's commits")}{BestCommit(commits)}."
            : "The session is linked to one of the PR's commits.",
        "branch" or "pushed-head-branch" or "created-branch" =>
            $"The session {(evidence is { } b && Text(b, "kind") == "branch" ? "created" : "pushed")} the PR's head branch {Code(evidence is { } br ? Text(br, "branch") : null)}{When(evidence, "ts")}.",
        "opened" or "opened-pr" => $"The session opened this PR{(evidence is { } o && Text(o, "url") is { } url ? " (" + url + ")" : "")}{When(evidence, "ts")}.",
        null => "Linked; no reason was recorded.",
        _ => $"Linked by {Code(reason)}.",
    };

    private static string BestCommit(JsonElement commits)
    {
        var first = commits.EnumerateArray().FirstOrDefault();
        return first.ValueKind == JsonValueKind.Object && Text(first, "sha") is { } sha
            ? $", the strongest {Short(sha)} ({Text(first, "linkType") ?? "linked"} {Number(first, "confidence")?.ToString("0.00", CultureInfo.InvariantCulture)})"
            : "";
    }

    private static string Printed(JsonElement e)
    {
        var output = Text(e, "output");
        var command = Text(e, "command");
        return $"The session's own {Code(command ?? "git commit")} printed this commit{ShaPart(Text(e, "shortSha"))}"
            + (string.IsNullOrWhiteSpace(output) ? "." : $": {Code(FirstLine(output))}.");
    }

    private static IEnumerable<string> Recorded(JsonElement e)
    {
        var source = Text(e, "source");
        var who = source switch
        {
            "entire" => "An Entire checkpoint" + (Text(e, "checkpoint") is { } c ? $" ({Code(c)})" : ""),
            "git-ai" => "A git-ai authorship note (refs/notes/ai)",
            null => "A tool",
            _ => $"{source}",
        };
        yield return $"{who} recorded this session as the commit's author at the source.";
        if (Strings(e, "files") is { Count: > 0 } files)
        {
            yield return $"Files it names that the commit changed: {Files(files)}.";
        }

        if (Object(e, "rubric") is { } rubric && Text(rubric, "linkType") is { } type)
        {
            yield return $"The rubric alone would have linked it as {type} ({Number(rubric, "confidence")?.ToString("0.00", CultureInfo.InvariantCulture)}).";
        }
    }

    private static string SquashOfPr(JsonElement e)
    {
        var from = Strings(e, "fromCommits") ?? [];
        var pr = e.TryGetProperty("pr", out var p) ? p.ToString() : "?";
        return $"This squash merge of PR #{pr} inherits the session's {Text(e, "inheritedLinkType") ?? "best"} link to {Count(from.Count, "of the PR's commits", "of the PR's commits")}"
            + (from.Count > 0 ? $" ({string.Join(", ", from.Take(3).Select(Short))}{(from.Count > 3 ? ", …" : "")})." : ".");
    }

    private static IEnumerable<string> CoAuthored(JsonElement e, bool activityOnly)
    {
        var agent = Text(e, "agent") ?? "an agent";
        var model = Text(e, "model");
        var window = Text(e, "activeFrom") is { } from && Text(e, "activeUntil") is { } until ? $" ({Time(from)} to {Time(until)})" : "";
        yield return $"The commit names the agent {agent}{(model is null ? "" : " (" + model + ")")} and was written while this session was active{window}.";
        if (Bool(e, "editedCommitFiles") == true)
        {
            yield return "The session edited files this commit changes.";
        }

        if (Bool(e, "pushedTip") == true)
        {
            yield return "The session's own git push sent this commit.";
        }

        if (Strings(e, "competingSessions") is { Count: > 0 } others)
        {
            yield return $"{Count(others.Count, "other session", "other sessions")} of that agent {(others.Count == 1 ? "was" : "were")} active at the same time.";
        }

        if (activityOnly)
        {
            yield return "Nothing else ties this session to the change (no edits of its files, not its push), so the link stays below 0.5.";
        }
    }

    private static IEnumerable<string> Touch(JsonElement e)
    {
        var files = Strings(e, "files") ?? [];
        var gap = Number(e, "gapMinutes");
        yield return $"The session edited {(files.Count == 0 ? "files this commit changes" : Files(files))}{(gap is { } g ? " " + Gap(g) + " before the commit" : " before the commit")}.";
        if (Bool(e, "firstTouch") == true)
        {
            yield return "This was the first commit to touch those files after the edit.";
        }
        else if (Number(e, "interveningCommits") is { } n && n > 0)
        {
            yield return $"{Count((int)n, "other commit", "other commits")} touched those files in between.";
        }

        var hits = Number(e, "textLinesFound");
        var ratio = Number(e, "textRatio");
        if (hits is > 0)
        {
            yield return $"{Count((int)hits.Value, "line", "lines")} the session wrote {(hits == 1 ? "is" : "are")} among the commit's added lines"
                + (ratio is { } r ? $" ({Math.Round(r * 100).ToString(CultureInfo.InvariantCulture)} % of its written lines)." : ".");
        }
        else if (ratio is 0)
        {
            yield return "None of the text the session wrote is in the commit's added lines.";
        }

        if (Number(e, "share") is { } share && share > 0)
        {
            yield return $"The session edited {Math.Round(share * 100).ToString(CultureInfo.InvariantCulture)} % of the commit's files.";
        }

        if (e.TryGetProperty("competingSessions", out var competing) && competing.ValueKind == JsonValueKind.Array && competing.GetArrayLength() > 0)
        {
            yield return $"{Count(competing.GetArrayLength(), "other session", "other sessions")} edited the same files, which lowers the confidence.";
        }

        if (e.TryGetProperty("sameTask", out var sameTask) && sameTask.ValueKind == JsonValueKind.Array && sameTask.GetArrayLength() > 0)
        {
            var who = sameTask.EnumerateArray().Select(o => $"its {Text(o, "relation") ?? "related session"} {Code(Text(o, "sessionId"))}").ToList();
            yield return $"Edited alongside {string.Join(", ", who)} in one working tree: one task, not a rival claim (a link of this kind is calibrated on its own).";
        }
    }

    /// <summary>"8 min", "3.5 h", "2 days".</summary>
    public static string Gap(double minutes) => minutes switch
    {
        < 1 => "less than a minute",
        < 90 => Math.Round(minutes).ToString(CultureInfo.InvariantCulture) + " min",
        < 48 * 60 => Math.Round(minutes / 60, 1).ToString(CultureInfo.InvariantCulture) + " h",
        _ => Math.Round(minutes / 1440, 1).ToString(CultureInfo.InvariantCulture) + " days",
    };

    private static string Files(IReadOnlyList<string> files) =>
        files.Count <= 3 ? string.Join(", ", files.Select(Code)) : string.Join(", ", files.Take(3).Select(Code)) + $" and {files.Count - 3} more";

    private static string Count(int n, string one, string many) => n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? one : many);

    private static string Code(string? text) => "`" + (text ?? "?") + "`";

    private static string Quote(string? text) => "“" + (text ?? "?") + "”";

    private static string ShaPart(string? sha) => sha is null ? "" : $" ({Short(sha)})";

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private static string When(JsonElement? e, string key) => e is { } v && Text(v, key) is { } ts ? " at " + Time(ts) : "";

    private static string Time(string ts) =>
        DateTimeOffset.TryParse(ts, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var v)
            ? v.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC"
            : ts;

    private static bool TryParse(string? json, out JsonElement root)
    {
        root = default;
        if (string.IsNullOrWhiteSpace(json))
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            root = doc.RootElement.Clone();
            return root.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? Text(JsonElement e, string key) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? Number(JsonElement e, string key) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static bool? Bool(JsonElement e, string key) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static JsonElement? Object(JsonElement e, string key) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    private static List<string>? Strings(JsonElement e, string key) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.ToString()).ToList()
            : null;
}
