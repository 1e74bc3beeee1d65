using Attribution.Git;
using System.CommandLine;
using Attribution.Hosting;
using Attribution.Operations;
using Prometheus;
using Attribution.Store;
using Attribution.Common;

namespace Attribution.Ingest;

/// <summary>Wiring of ingest: the git history reader, the incremental scan into the commit tables (with the recorded sources it finds) and <c>ingest git</c>.</summary>
public static class IngestModule
{
    public static IServiceCollection AddIngest(this IServiceCollection services, IConfiguration configuration, HostMode mode)
    {
        services.AddSingleton<GitHistoryReader>();
        services.AddSingleton<GitIngestService>();
        services.AddSingleton<Sources.RecordedSourceIngest>();
        return services;
    }

    public static void AddIngestCommands(RootCommand root, CliContext cli)
    {
        var path = new Option<string>("--path") { Description = "A clone (bare or not) of the repository.", Required = true };
        var repo = new Option<string>("--repo") { Description = "The repository as owner/name.", Required = true };
        var since = new Option<string?>("--since") { Description = "Only commits newer than this (e.g. 30d, 2026-10-01). Default: all history." };
        var command = new Command("git", "Scan a git clone's history (all refs) into the commit tables; incremental.");
        command.Options.Add(path);
        command.Options.Add(repo);
        command.Options.Add(since);
        command.SetAction((parseResult, ct) => cli.RunAsync(parseResult, async (services, token) =>
        {
            var dir = parseResult.GetValue(path)!;
            var slug = parseResult.GetValue(repo)!;
            if (slug.Split('/', StringSplitOptions.RemoveEmptyEntries).Length < 2)
            {
                throw CliException.Usage($"--repo '{slug}' is not owner/name.");
            }

            if (!Directory.Exists(dir))
            {
                throw CliException.Usage($"--path '{dir}' does not exist.");
            }

            if (!GitHistoryReader.IsRepository(dir))
            {
                throw CliException.Usage($"--path '{dir}' is not a git repository.");
            }

            var time = services.GetRequiredService<TimeProvider>();
            var span = Common.Since.OptionSpan(parseResult.GetValue(since), time.GetUtcNow());

            var interactive = CliContext.Interactive;
            var progress = new Progress<int>(n =>
            {
                if (interactive)
                {
                    Console.Error.Write($"\r{n} commits read");
                }
                else
                {
                    Console.Error.WriteLine($"{n} commits read");
                }
            });

            GitIngestResult result;
            using (AttributionMetrics.IngestDuration.WithLabels("git").NewTimer())
            {
                result = await services.GetRequiredService<GitIngestService>()
                    .RegisterAndIngestAsync(slug, dir, span is null ? null : time.GetUtcNow() - span.Value, progress, token);
            }

            if (interactive && result.CommitsRead > 0)
            {
                Console.Error.WriteLine();
            }

            Console.WriteLine($"repository: {RepoSlug.Normalize(slug)}");
            Console.WriteLine(result.RefsChanged ? $"commits read: {result.CommitsRead}" : "commits read: 0 (no ref moved since the last scan)");
            Console.WriteLine($"file changes: {result.FilesRead}");
            if (result.Warnings > 0)
            {
                Console.WriteLine($"commits with missing objects (skipped files): {result.Warnings}");
            }

            if (result.Sources is { } sources && (sources.Checkpoints + sources.Notes > 0 || sources.Warnings.Count > 0))
            {
                Console.WriteLine($"entire checkpoints read: {sources.Checkpoints}");
                Console.WriteLine($"git-ai notes read: {sources.Notes}");
                Console.WriteLine($"recorded sessions: {sources.Sessions}");
                foreach (var warning in sources.Warnings)
                {
                    Console.WriteLine($"warning: {warning}");
                }
            }

            Console.WriteLine($"elapsed: {result.Elapsed.TotalSeconds:0.00} s");
            return ExitCodes.Success;
        }, ct));
        root.Ingest().Subcommands.Add(command);
    }
}
