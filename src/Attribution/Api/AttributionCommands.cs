using Attribution.Reports;
using System.CommandLine;
using System.Globalization;
using Attribution.Hosting;
using Attribution.Common;

namespace Attribution.Api;

/// <summary>
/// <c>attribution attribute commit SHA</c> and <c>attribution attribute session ID</c>: the same documents
/// as the API, as a few readable lines or, with <c>--json</c>, as the API's JSON.
/// </summary>
public static class AttributionCommands
{
    public static void Add(RootCommand root, CliContext cli)
    {
        var attribute = root.Attribute();
        attribute.Subcommands.Add(CommitCommand(cli));
        attribute.Subcommands.Add(SessionCommand(cli));
    }

    private static Command CommitCommand(CliContext cli)
    {
        var sha = new Argument<string>("sha") { Description = "Commit sha, full or abbreviated (7–40 hex)." };
        var repo = new Option<string?>("--repo") { Description = "Repository (owner/name) to look in." };
        var json = new Option<bool>("--json") { Description = "Print the API document as JSON." };
        var minConfidence = new Option<double>("--min-confidence")
        {
            Description = "Show session links with at least this confidence (0–1).",
            DefaultValueFactory = _ => CommitAttributionService.DefaultMinConfidence,
        };
        var command = new Command("commit", "Which session produced a commit, its PRs, CI runs and later touches.");
        command.Arguments.Add(sha);
        command.Options.Add(repo);
        command.Options.Add(json);
        command.Options.Add(minConfidence);
        command.SetAction((parseResult, ct) => cli.RunAsync(parseResult, async (services, token) =>
        {
            var lookup = await services.GetRequiredService<CommitAttributionService>().GetAsync(
                parseResult.GetValue(sha), parseResult.GetValue(repo), parseResult.GetValue(minConfidence), token);
            if (await NotOneAsync(lookup.Outcome, lookup.Message, lookup.Candidates?.Select(c => $"{c.Repo} {c.Sha} {c.Subject}")) is { } exit)
            {
                return exit;
            }

            await Console.Out.WriteLineAsync(parseResult.GetValue(json)
                ? DocumentJson.Serialize(lookup.Document!, indented: true)
                : string.Join(Environment.NewLine, CommitLines(lookup.Document!)));
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command SessionCommand(CliContext cli)
    {
        var id = new Argument<string>("id") { Description = "Session id (the agent's own), or a unique prefix of 8+ characters." };
        var json = new Option<bool>("--json") { Description = "Print the API document as JSON." };
        var command = new Command("session", "What a session produced: commits, PRs, CI and later touches.");
        command.Arguments.Add(id);
        command.Options.Add(json);
        command.SetAction((parseResult, ct) => cli.RunAsync(parseResult, async (services, token) =>
        {
            var sessionId = parseResult.GetValue(id) ?? "";
            var lookup = await services.GetRequiredService<SessionAttributionService>().LookupAsync(sessionId, CommitAttributionService.DefaultMinConfidence, token);
            if (await NotOneAsync(lookup.Outcome, lookup.Message, lookup.Candidates?.Select(c => c.Describe())) is { } exit)
            {
                return exit;
            }

            var document = lookup.Document!;
            await Console.Out.WriteLineAsync(parseResult.GetValue(json)
                ? DocumentJson.Serialize(document, indented: true)
                : string.Join(Environment.NewLine, SessionLines(document)));
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    /// <summary>
    /// A lookup that did not find exactly one: unknown (exit 1) and invalid (exit 2) throw; an ambiguous one prints its
    /// candidates on stderr and exits 2. Null when it found one.
    /// </summary>
    private static async Task<int?> NotOneAsync(LookupOutcome outcome, string message, IEnumerable<string>? candidates)
    {
        switch (outcome)
        {
            case LookupOutcome.NotFound:
                throw CliException.NotFound(message);
            case LookupOutcome.Invalid:
                throw CliException.Usage(message);
            case LookupOutcome.Ambiguous:
                await Console.Error.WriteLineAsync($"error: {message}");
                foreach (var candidate in candidates ?? [])
                {
                    await Console.Error.WriteLineAsync($"  {candidate}");
                }

                return ExitCodes.Usage;
            default:
                return null;
        }
    }

    /// <summary>The summary, then one line each for PRs, CI and downstream touches.</summary>
    public static IEnumerable<string> CommitLines(CommitAttributionDocument document)
    {
        yield return document.Summary;
        yield return $"commit: {document.Repo} {document.Sha} {document.Subject}".TrimEnd();
        yield return document.PullRequests.Count == 0
            ? "PR: none known"
            : "PR: " + string.Join(", ", document.PullRequests.Select(p =>
                $"{p.Provider} {p.Repo}#{p.Number.ToString(CultureInfo.InvariantCulture)} ({p.State}{(p.MergedAt is { } m ? " " + Date(m) : "")}){(string.IsNullOrWhiteSpace(p.Title) ? "" : " " + p.Title)}"));
        yield return document.CiRuns.Count == 0
            ? "CI: no runs known"
            : "CI: " + string.Join(", ", document.CiRuns.Select(r => $"{r.Status} {r.WorkflowName ?? r.RunId} ({r.Provider})"));
        var d = document.Downstream;
        var still = d.StillGood switch
        {
            true => "yes",
            false => "no",
            null => Linking.Outcomes.Verdicts.Phrase(null),
        };
        yield return d.TouchCount == 0
            ? $"downstream: not touched since; still good after {d.StillGoodAfterDays} days: {still}"
            : $"downstream: touched {d.TouchCount} {(d.TouchCount == 1 ? "time" : "times")} ({d.FixCount} fix, {d.RevertCount} revert)"
              + (d.RevertedBy is null ? "" : $", reverted by {ShaText.Short(d.RevertedBy)}")
              + (d.LastTouchAt is { } last ? $", last {Date(last)}" : "")
              + $"; still good after {d.StillGoodAfterDays} days: {still}";
    }

    /// <summary>The summary, then the session's agent, cost and tokens.</summary>
    public static IEnumerable<string> SessionLines(SessionAttributionDocument document)
    {
        yield return document.Summary;
        var cost = document.CostUsd is { } usd ? AttributionSummaries.Money(usd) : "cost unknown";
        yield return $"session: {document.SessionId} (agent: {document.Agent}, model: {document.Model ?? "unknown"}, {cost})";
        if (!string.IsNullOrWhiteSpace(document.Title))
        {
            yield return $"title: {document.Title}";
        }

        if (document.ParentSessionId is { } parent)
        {
            yield return $"sub-agent of: {parent}";
        }

        var t = document.Tokens;
        yield return FormattableString.Invariant($"tokens: {t.Input} input, {t.Output} output, {t.CacheWrite} cache write, {t.CacheRead} cache read");
    }

    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
