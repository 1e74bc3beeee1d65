using System.CommandLine;
using Attribution.Hosting;
using Attribution.Store;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Attribution.Common;

namespace Attribution.Linking;

/// <summary>Wiring of the Linking feature: the attribution engine, its background pass and <c>attribute backfill</c>.</summary>
public static class LinkingModule
{
    public static IServiceCollection AddLinking(this IServiceCollection services, IConfiguration configuration, HostMode mode)
    {
        services.AddSettings<LinkingOptions>(configuration, LinkingOptions.Section)
            .Validate(o => o.TouchWindowHours > 0 && o.DownstreamWindowDays > 0 && o.Threshold is >= 0 and <= 1 && o.LineBudgetSeconds > 0, "Attribution:Linking settings are out of range.");
        services.AddSingleton<LinkingInputStore>();
        services.AddSingleton<LinkStore>();
        services.AddSingleton<DownstreamStore>();
        services.TryAddSingleton<IAgentsAttributionVerifier, NoAgentsAttributionVerifier>();
        services.AddSingleton<AttributionBackfill>();
        if (mode == HostMode.Serve)
        {
            services.AddHostedService<AttributionBackgroundService>();
        }

        return services;
    }

    public static void AddLinkingCommands(RootCommand root, CliContext cli)
    {
        var since = new Option<string?>("--since") { Description = "Only link sessions active since then and compute downstream touches from then (e.g. 30d, 12h, 2026-10-01). Default: all history (the pass is incremental)." };
        var repo = new Option<string?>("--repo") { Description = "Only this repository (owner/name)." };
        var backfill = new Command("backfill", "Rescan registered clones, link sessions to commits and PRs, and recompute downstream touches.");
        backfill.Options.Add(since);
        backfill.Options.Add(repo);
        backfill.SetAction((parseResult, ct) => cli.RunAsync(parseResult, async (services, token) =>
        {
            var time = services.GetRequiredService<TimeProvider>();
            var span = Common.Since.OptionSpan(parseResult.GetValue(since), time.GetUtcNow());

            var repoSlug = parseResult.GetValue(repo);
            if (repoSlug is not null && !repoSlug.Contains('/', StringComparison.Ordinal))
            {
                throw CliException.Usage($"--repo '{repoSlug}' is not owner/name.");
            }

            var progress = new Progress<string>(line => Console.Error.WriteLine(CliContext.Interactive ? $"… {line}" : line));
            var result = await services.GetRequiredService<AttributionBackfill>().RunAsync(repoSlug, span, progress, token);
            Console.WriteLine($"repositories: {result.Repositories} ({result.Unchanged} unchanged since the last pass{(result.Incremental > 0 ? $", {result.Incremental} incremental: the figures below count what new commits and sessions reached" : "")})");
            Console.WriteLine($"time: linking {result.LinkElapsed.TotalSeconds:0.0} s, downstream {result.DownstreamElapsed.TotalSeconds:0.0} s");
            Console.WriteLine($"new commits scanned: {result.CommitsRead}");
            Console.WriteLine($"sessions considered: {result.Sessions}");
            Console.WriteLine($"commit links: {result.CommitLinks} ({result.StrongCommitLinks} with confidence >= {services.GetRequiredService<Microsoft.Extensions.Options.IOptions<LinkingOptions>>().Value.Threshold:0.0#}); {result.CommitLinksWritten} written, {result.CommitLinksRemoved} removed");
            Console.WriteLine($"PR commits added from git: {result.PrCommitsAdded}");
            Console.WriteLine($"session-PR links: {result.PrLinks}");
            Console.WriteLine($"downstream touches: {result.DownstreamTouches} ({result.DownstreamWritten} written)");
            Console.WriteLine($"line outcomes: {result.LineTargets} targets ({result.LineTargetsRead} read from git in {result.LineElapsed.TotalMilliseconds:0} ms, the rest unchanged{(result.LineTargetsDeferred > 0 ? $"; {result.LineTargetsDeferred} left for the next pass (line budget)" : "")})");
            if (result.Since is { } from)
            {
                Console.WriteLine(result.SessionsLeftOut > 0
                    ? $"left out: {result.SessionsLeftOut} sessions that ended before {from:yyyy-MM-dd HH:mm} UTC (run without --since to link them)"
                    : $"window: since {from:yyyy-MM-dd HH:mm} UTC (no session ended before it)");
            }

            if (result.Warnings > 0)
            {
                Console.WriteLine($"warnings: {result.Warnings} (see log)");
            }

            Console.WriteLine($"elapsed: {result.Elapsed.TotalSeconds:0.0} s");
            return ExitCodes.Success;
        }, ct));
        root.Attribute().Subcommands.Add(backfill);
    }
}
