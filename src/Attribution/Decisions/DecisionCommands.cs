using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Attribution.Decisions.Methods;
using Attribution.Decisions.Outcomes;
using Attribution.Hosting;
using Attribution.Store;
using Attribution.Common;

namespace Attribution.Decisions;

/// <summary><c>attribution attribute outcomes</c>: the scheduled-job form of <c>cstp.attributeOutcomes</c>.</summary>
public static class DecisionCommands
{
    public static void Add(RootCommand root, CliContext cli)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(cli);
        var repo = new Option<string>("--repo") { Description = "Repository (owner/name) whose decisions to judge.", Required = true };
        var since = new Option<string?>("--since") { Description = "Only decisions recorded since this date (YYYY-MM-DD or ISO-8601)." };
        var stability = new Option<int>("--stability-days")
        {
            Description = "Days a merged PR must stay free of fixes and reverts to count as stable.",
            DefaultValueFactory = _ => AttributeOutcomesMethod.DefaultStabilityDays,
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Judge and print, write nothing." };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };

        var command = new Command("outcomes", "Judge recorded decisions from what happened to their code (stable, bug-linked, missed bugs).");
        command.Options.Add(repo);
        command.Options.Add(since);
        command.Options.Add(stability);
        command.Options.Add(dryRun);
        command.Options.Add(json);
        command.SetAction((parseResult, ct) => cli.RunAsync(parseResult, async (services, token) =>
        {
            var slug = parseResult.GetValue(repo)!;
            if (!RepoSlug.IsValid(slug))
            {
                throw CliException.Usage($"--repo must look like owner/name, not '{slug}'.");
            }

            DateTimeOffset? from = null;
            if (parseResult.GetValue(since) is { } text)
            {
                from = Common.Since.TryParse(text, services.GetRequiredService<TimeProvider>().GetUtcNow(), out var parsed, out var sinceError)
                    ? parsed.From
                    : throw CliException.Usage("--since " + sinceError);
            }

            var days = parseResult.GetValue(stability);
            if (days is < 0 or > 3650)
            {
                throw CliException.Usage("--stability-days must be from 0 to 3650.");
            }

            var run = await services.GetRequiredService<OutcomeAttributor>().RunAsync(
                RepoSlug.Normalize(slug), from, days, parseResult.GetValue(dryRun), token);
            Console.WriteLine(parseResult.GetValue(json) ? JsonSerializer.Serialize(run, Rpc.JsonRpcDispatcher.Json) : Format(run));
            return ExitCodes.Success;
        }, ct));

        root.Attribute().Subcommands.Add(command);
    }

    public static string Format(AttributionRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var lines = new List<string>
        {
            $"{run.Processed} decisions: {run.Stable} stable, {run.BugLinked} bug-linked; {run.Missed} missed bugs; "
            + (run.DryRun ? "dry run, nothing written" : $"{run.Written} rows written"),
        };
        lines.AddRange(run.Entries.Select(e => $"{e.Id}  {e.Verdict}  {e.Outcome ?? "-"}  {e.Reason}"));
        return string.Join(Environment.NewLine, lines);
    }
}
